import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import type { ConsensusTuning } from '../../src/consensus/runner.ts';
import { loadConfig } from '../../src/app/config.ts';
import { computeCost } from '../../src/money/cost.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import { DEFAULT_LANES } from '../../src/models/default-lanes.ts';
import type { LaneName } from '../../src/shared/types.ts';
import type { ChatMessage, Vendor } from '../../src/shared/provider-spec.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { startFakeVendor, type FakeBehaviour, type FakeRequest, type FakeVendor } from '../fakes/fake-vendor.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

/** A scripted vendor: how it answers each request. */
export type Script = (req: FakeRequest) => FakeBehaviour | Promise<FakeBehaviour>;

export const KEYS: Record<Vendor, { env: string; url: string; key: string }> = {
  anthropic: { env: 'ANTHROPIC_API_KEY', url: 'ANTHROPIC_BASE_URL', key: fakeSecret('sk-ant-', 'test-0123456789abcdefghij') },
  openai: { env: 'OPENAI_API_KEY', url: 'OPENAI_BASE_URL', key: 'sk-test-0123456789abcdefghijklmn' },
  google: { env: 'GEMINI_API_KEY', url: 'GEMINI_BASE_URL', key: fakeSecret('AIza', 'Test0123456789abcdefghijklmn') },
};

/** The model of `vendor` in a default lane (the panel a consensus picks by default). */
export function laneModel(vendor: Vendor, lane: LaneName = 'balanced'): string {
  return DEFAULT_LANES[lane].find((m) => m.vendor === vendor)!.model;
}

/** Default balanced-lane panel. */
export const PANEL: Record<Vendor, string> = { anthropic: laneModel('anthropic'), openai: laneModel('openai'), google: laneModel('google') };

/** Backoff waits shrink to a couple of milliseconds, so retry loops finish at once in tests. */
export const fastClock: Clock = { now: () => Date.now(), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 2), signal) };

/** Short but safe test timings: nothing here should ever take seconds. */
export const FAST_TIMING: ConsensusTuning = { memberTimeoutMs: 3000, graceMs: 40, graceRatio: 0, synthesisTimeoutMs: 3000 };

export interface Panel {
  hive: Hive;
  fakes: Partial<Record<Vendor, FakeVendor>>;
  /** Runs `/consensus <text>` like the terminal would; returns the reply and its terminal rendering. */
  consensus(text: string, context?: ChatMessage[]): Promise<{ reply: Reply; out: string }>;
  close(): Promise<void>;
}

/** Starts a fake for each scripted vendor and a whole bot whose local workspace has their keys. */
export async function startPanel(scripts: Partial<Record<Vendor, Script>>, opts: { tuning?: ConsensusTuning; clock?: Clock } = {}): Promise<Panel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-consensus-'));
  const fakes: Partial<Record<Vendor, FakeVendor>> = {};
  const env: Record<string, string> = {
    HIVE_STORE_URL: 'memory://',
    HIVE_DATA_DIR: dir,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  };
  for (const [vendor, respond] of Object.entries(scripts) as [Vendor, Script][]) {
    const fake = await startFakeVendor({ vendor, respond });
    fakes[vendor] = fake;
    env[KEYS[vendor].env] = KEYS[vendor].key;
    env[KEYS[vendor].url] = fake.url;
  }
  const hive = await createHive(loadConfig(env), { logSink: { write() {} }, clock: opts.clock ?? fastClock, consensus: opts.tuning ?? FAST_TIMING });
  return {
    hive,
    fakes,
    async consensus(text, context) {
      const replies: Reply[] = [];
      const inv: Invocation = {
        platform: 'terminal',
        workspaceId: 'local',
        channelId: 'terminal',
        userId: 'operator',
        command: 'consensus',
        text,
        ...(context ? { context } : {}),
        isAdmin: async () => true,
        respond: async (r) => void replies.push(r),
      };
      await hive.dispatcher.handle(inv);
      const reply = replies[0]!;
      return { reply, out: renderTerminalReply(reply, 1) };
    },
    async close() {
      await hive.close();
      await Promise.all(Object.values(fakes).map((f) => f.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a request is the synthesis judge's (first attempt or repair) rather than a member's. */
export function isJudge(req: FakeRequest): boolean {
  return req.lastUserText.includes('<<<CANDIDATE') || req.lastUserText.includes('could not be used');
}

/** The exact cost of one scripted answer, priced independently of the code under test. */
export function exactCost(vendor: Vendor, model: string, input: number, output: number): number {
  return computeCost(builtInPrices, vendor, model, { ...ZERO_USAGE, inputTokens: input, outputTokens: output }, { at: new Date() })!.usd;
}

/** A promise that several requests can wait on until all of them have arrived. */
export function createBarrier(size: number, maxWaitMs: number): { arrive(): Promise<boolean>; arrivals: number[] } {
  const arrivals: number[] = [];
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return {
    arrivals,
    async arrive() {
      arrivals.push(Date.now());
      if (arrivals.length === size) open();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), maxWaitMs)));
      const ok = await Promise.race([opened.then(() => true), timeout]);
      clearTimeout(timer);
      return ok;
    },
  };
}

/** The dollar amount in a rendered footer line. */
export function footerUsd(reply: Reply): number {
  const m = /\$(\d+\.\d+)/.exec(reply.footer ?? '');
  return m ? Number(m[1]) : NaN;
}
