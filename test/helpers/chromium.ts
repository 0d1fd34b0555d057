import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, where `apt-get install chromium` puts it (CI installs it there). */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless run on a small, loaded machine with no network beyond loopback. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launching is slow on two busy cores: the wait is generous, and nothing measures it. */
const LAUNCH_MS = 60_000;

/** The Chromium to drive: `HIVE_TEST_CHROMIUM`, else Debian's if installed; undefined when there is none. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HIVE_TEST_CHROMIUM) return env.HIVE_TEST_CHROMIUM;
  return fs.existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/** Starts the system Chromium headless through playwright-core, which downloads no browser of its own. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS, timeout: LAUNCH_MS });
}
