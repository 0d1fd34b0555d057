import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/app/config.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { ModelProvider, Vendor } from '../../src/shared/provider-spec.ts';
import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { startFakeVendor, type FakeBehaviour, type FakeRequest, type FakeVendor, type FakeVendorOptions } from '../fakes/fake-vendor.ts';
import { fakeSecret } from './fake-secret.ts';

/** Canary keys: if any of these shows up in logs, output or data, a test fails. */
export const CANARY: Record<Vendor, string> = {
  anthropic: fakeSecret('sk-ant-', 'canary-ANTHROPIC-0123456789abcdef'),
  openai: 'sk-canary-OPENAI-0123456789abcdefghij',
  google: fakeSecret('AIza', 'CanaryGOOGLE-0123456789abcdefghijk'),
};

const ENV_KEY: Record<Vendor, string> = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY', google: 'GEMINI_API_KEY' };
const ENV_URL: Record<Vendor, string> = { anthropic: 'ANTHROPIC_BASE_URL', openai: 'OPENAI_BASE_URL', google: 'GEMINI_BASE_URL' };

export interface Harness {
  hive: Hive;
  vendors: Partial<Record<Vendor, FakeVendor>>;
  logs: string[];
  dataDir: string;
  /** Runs one chat line (on the `local` workspace unless another is named) and returns its reply. */
  run(line: string, who?: Who): Promise<Reply>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  vendors: Partial<Record<Vendor, ((req: FakeRequest) => FakeBehaviour | Promise<FakeBehaviour>) | Omit<FakeVendorOptions, 'vendor'>>>;
  env?: Record<string, string>;
  clock?: Clock;
  store?: 'memory' | 'sqlite';
  /** Give every vendor pace the same generous limits so ties fall back to vendor order. */
  equalLimits?: boolean;
  /** Wraps the real SDK providers (e.g. to count calls in flight); they still talk to the fakes. */
  wrapProviders?: (real: Record<Vendor, ModelProvider>) => Record<Vendor, ModelProvider>;
}

/** A whole bot over fake vendors on loopback, with canary keys for the `local` workspace. */
export async function startHarness(o: HarnessOptions): Promise<Harness> {
  const vendors: Partial<Record<Vendor, FakeVendor>> = {};
  const env: Record<string, string> = {};
  for (const [v, spec] of Object.entries(o.vendors) as [Vendor, HarnessOptions['vendors'][Vendor]][]) {
    const opts = typeof spec === 'function' ? { respond: spec } : (spec ?? {});
    vendors[v] = await startFakeVendor({ vendor: v, ...opts });
    env[ENV_KEY[v]] = CANARY[v];
    env[ENV_URL[v]] = vendors[v]!.url;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-test-'));
  const logs: string[] = [];
  const replies: string[] = [];
  const config = loadConfig({
    HIVE_DATA_DIR: dataDir,
    HIVE_STORE_URL: o.store === 'sqlite' ? `sqlite://${path.join(dataDir, 'hive.sqlite')}` : 'memory://',
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'debug',
    HIVE_VENDOR_TIMEOUT_MS: '2000',
    ...env,
    ...o.env,
  });
  const providers = o.wrapProviders?.({
    anthropic: createAnthropicProvider({ baseUrl: config.baseUrls.anthropic }),
    openai: createOpenAIProvider({ baseUrl: config.baseUrls.openai }),
    google: createGoogleProvider({ baseUrl: config.baseUrls.google }),
  });
  const hive = await createHive(config, {
    logSink: { write: (l) => void logs.push(l) },
    ...(o.clock ? { clock: o.clock } : {}),
    ...(providers ? { providers } : {}),
  });
  if (o.equalLimits) {
    for (const v of Object.keys(vendors) as Vendor[]) {
      await runLine(hive, `/hive lanes limits ${v} rpm=10000 itpm=10000000 otpm=10000000 tpm=10000000 concurrency=50`);
    }
  }
  return {
    hive,
    vendors,
    logs,
    dataDir,
    run: async (line, who) => {
      const r = await runLine(hive, line, who);
      replies.push(JSON.stringify(r));
      return r;
    },
    async close() {
      await hive.close();
      assertNoCanary([...logs, ...replies].join('\n'), 'logs and replies');
      assertNoCanaryInDir(dataDir);
      await Promise.all(Object.values(vendors).map((f) => f?.close()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Who runs a chat line, and where. */
export interface Who {
  userId?: string;
  channelId?: string;
  workspaceId?: string;
}

function runLine(hive: Hive, line: string, who: Who = {}): Promise<Reply> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim());
  return new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      platform: 'test',
      workspaceId: who.workspaceId ?? 'local',
      channelId: who.channelId ?? 'C-test',
      userId: who.userId ?? 'U-test',
      command: m ? m[1]! : 'ask',
      text: m ? m[2]! : line,
      isAdmin: async () => true,
      respond: async (r) => resolve(r),
    };
    void hive.dispatcher.handle(inv);
  });
}

/** Fails if any canary key, or a long enough piece of one, appears in the text. */
export function assertNoCanary(text: string, where: string): void {
  for (const key of Object.values(CANARY)) {
    for (const piece of [key, key.slice(0, 16), key.slice(-16)]) {
      if (text.includes(piece)) throw new Error(`canary key material "${piece.slice(0, 6)}…" found in ${where}`);
    }
  }
}

/** Scans every byte of a data folder (SQLite file, master key) for canary keys. */
export function assertNoCanaryInDir(dir: string): void {
  if (!fs.existsSync(dir)) return;
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) assertNoCanary(fs.readFileSync(file).toString('latin1'), file);
  }
}
