import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { assertNoCanaryInDir } from '../helpers/hive-harness.ts';
import { SCRIPT, screenText, startPty, type PtySession } from '../helpers/pty.ts';

const root = path.resolve(import.meta.dirname, '../..');
const haveScript = spawnSync(SCRIPT, ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') === true;
const PTY_TEST_MS = 120_000;
const KEY = 'sk-canary-PTY-LOCAL-0123456789abcdefgh';
const prompt = (ws: string) => `Paste the OpenAI key for ${ws} and press Enter (hidden): `;

let openai: FakeVendor;
let dataDir: string;
let env: Record<string, string>;
const sessions: PtySession[] = [];

beforeAll(async () => {
  openai = await startFakeVendor({ vendor: 'openai', validKeys: [KEY] });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-pty-cli-'));
  env = { PATH: process.env.PATH ?? '', HIVE_DATA_DIR: dataDir, OPENAI_BASE_URL: openai.url, HIVE_MASTER_KEY: randomBytes(32).toString('base64') };
});
afterAll(async () => {
  for (const s of sessions) s.kill();
  await openai.close();
  assertNoCanaryInDir(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The operator CLI (`hive`, run as `tsx adapters/cli/hive.ts`) at a pseudo-terminal. */
function hive(args: string): PtySession {
  const s = startPty(`${process.execPath} --import tsx adapters/cli/hive.ts ${args}`, { cwd: root, env });
  sessions.push(s);
  return s;
}

describe.skipIf(!haveScript)('the operator CLI at a real terminal (pseudo-terminal)', () => {
  it(
    'GIVEN `keys set` THEN the key is typed at a hidden prompt, never shown, verified, stored, and listed masked',
    async () => {
      const set = hive('keys set --workspace local --vendor openai');
      await set.waitFor(prompt('local'), { timeoutMs: 60_000 });
      set.type(`${KEY}\r`);
      expect(await set.exited).toBe(0);
      expect(screenText(set.output)).toMatch(/Stored OpenAI key ••••efgh for local, verified with the vendor\./);
      for (const piece of [KEY, KEY.slice(0, 12), KEY.slice(-12)]) expect(set.output).not.toContain(piece);
      expect(openai.requests.filter((q) => q.path.endsWith('/models'))).toHaveLength(1);

      const list = hive('keys list --workspace local');
      expect(await list.exited).toBe(0);
      expect(screenText(list.output)).toMatch(/OpenAI: ••••efgh · added .* · ok/);
      expect(list.output).not.toContain(KEY.slice(-12));
    },
    PTY_TEST_MS,
  );

  it(
    'GIVEN Ctrl-C or Ctrl-D at the hidden prompt THEN it says nothing was stored and exits 2',
    async () => {
      for (const [keys, message] of [
        ['\x03', /Cancelled; no key was stored\./],
        ['\x04', /No key entered \(input ended\); no key was stored\./],
      ] as const) {
        const set = hive('keys set --workspace slack:T9 --vendor openai --force');
        await set.waitFor(prompt('slack:T9'), { timeoutMs: 60_000 });
        set.type(keys);
        expect(await set.exited).toBe(2);
        expect(screenText(set.output)).toMatch(message);
      }
      const list = hive('keys list --workspace slack:T9');
      expect(await list.exited).toBe(0);
      expect(screenText(list.output)).toContain('No keys for slack:T9.');
    },
    PTY_TEST_MS,
  );
});
