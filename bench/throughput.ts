import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createTerminalAdapter } from '../adapters/chat/terminal/terminal-adapter.ts';
import { loadConfig } from '../src/app/config.ts';
import { createHive } from '../src/app/hive.ts';
import type { Vendor } from '../src/types.ts';
import { startFakeVendor, type FakeVendor } from '../test/fakes/fake-vendor.ts';
import { CANARY } from '../test/helpers/hive-harness.ts';
import type { BenchResult } from './types.ts';

const JOBS = 240;
const LEARNED_JOBS = 60;
const LIMIT = 4; // requests per window, per key
const WINDOW_MS = 250;
const ENV: Record<Vendor, [string, string]> = {
  anthropic: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'],
  openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL'],
  google: ['GEMINI_API_KEY', 'GEMINI_BASE_URL'],
};

export interface BurstResult {
  wallMs: number;
  answered: number;
  errors: number;
  rateLimited: number;
  perVendor: Record<string, number>;
}

/** Pipes a burst of `/ask --cheap` lines into the terminal adapter over rate-limited fake vendors. */
export async function runBurst(vendors: Vendor[], known: boolean, jobs = JOBS): Promise<BurstResult> {
  const fakes = new Map<Vendor, FakeVendor>();
  const env: Record<string, string> = {};
  for (const v of vendors) {
    const fake = await startFakeVendor({
      vendor: v,
      rateLimit: { requests: LIMIT, windowMs: WINDOW_MS },
      respond: () => ({ text: `ok from ${v}`, latencyMs: 20, usage: { input: 30, output: 5 } }),
    });
    fakes.set(v, fake);
    env[ENV[v][0]] = CANARY[v];
    env[ENV[v][1]] = fake.url;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-burst-'));
  const hive = await createHive(
    loadConfig({ HIVE_DATA_DIR: dir, HIVE_STORE_URL: 'memory://', HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn', ...env }),
    { logSink: { write: () => undefined } },
  );
  if (known) {
    await hive.ctx.settings.update(
      'local',
      (s) =>
        void (s.vendorLimits = Object.fromEntries(
          vendors.map((v) => [v, { rpm: LIMIT, periodMs: WINDOW_MS, concurrency: 50, itpm: 1e9, otpm: 1e9, tpm: 1e9 }]),
        )),
    );
  }
  await warmUp(hive, vendors);
  const before = new Map([...fakes].map(([v, f]) => [v, f.requests.filter((r) => r.model).length]));
  let out = '';
  const output = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
  const lines = Array.from({ length: jobs }, (_, i) => `/ask --cheap question number ${i}`).join('\n');
  const terminal = createTerminalAdapter({ input: Readable.from([lines]), output, dispatcher: hive.dispatcher });
  const t0 = performance.now();
  await terminal.run();
  const wallMs = performance.now() - t0;
  await hive.close();
  const perVendor: Record<string, number> = {};
  let rateLimited = 0;
  for (const [v, f] of fakes) {
    const generates = f.requests.filter((r) => r.model).length - (before.get(v) ?? 0);
    perVendor[v] = (out.match(new RegExp(`ok from ${v}`, 'g')) ?? []).length;
    rateLimited += generates - perVendor[v]!;
    await f.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, answered: (out.match(/^— /gm) ?? []).length, errors: (out.match(/^! /gm) ?? []).length, rateLimited, perVendor };
}

/** One call per vendor first (SDK clients, connections), then a pause so every bucket is full again. */
async function warmUp(hive: Awaited<ReturnType<typeof createHive>>, vendors: Vendor[]): Promise<void> {
  const origin = { workspaceId: 'local', channelId: 'warm', userId: 'warm', platform: 'bench', command: 'ask' };
  const models: Record<Vendor, string> = { anthropic: 'claude-haiku-4-5', openai: 'gpt-4o-mini', google: 'gemini-2.5-flash' };
  await Promise.all(vendors.map((v) => hive.ctx.runner.ask({ origin, question: 'warm-up', route: { model: { vendor: v, model: models[v] } } })));
  await new Promise((r) => setTimeout(r, WINDOW_MS * 2));
}

/** The least time N jobs can take when each key's bucket starts full and refills LIMIT per window. */
function idealMs(keys: number, jobs: number): number {
  return (Math.max(0, jobs - keys * LIMIT) / (keys * LIMIT)) * WINDOW_MS;
}

/** 3 vendors vs 1 under per-key limits: the ratio, the share of the summed limits, and 429s caused. */
export async function benchThroughput(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const verdicts: string[] = [];
  for (const known of [true, false]) {
    const jobs = known ? JOBS : LEARNED_JOBS;
    const one = await runBurst(['openai'], known, jobs);
    const three = await runBurst(['anthropic', 'google', 'openai'], known, jobs);
    const ratio = one.wallMs / three.wallMs;
    const share = idealMs(3, jobs) / three.wallMs;
    for (const [label, r, keys] of [
      ['1 vendor', one, 1],
      ['3 vendors', three, 3],
    ] as const) {
      rows.push({
        limits: known ? 'known' : 'learned from headers',
        keys: label,
        jobs,
        answered: r.answered,
        errors: r.errors,
        '429s': r.rateLimited,
        'wall ms': r.wallMs.toFixed(0),
        'ideal ms': idealMs(keys, jobs).toFixed(0),
        'per vendor': Object.entries(r.perVendor)
          .map(([v, n]) => `${v} ${n}`)
          .join(', '),
      });
    }
    if (known) {
      verdicts.push(`3 vendors ÷ 1 vendor speed-up ${ratio.toFixed(2)}× (goal ≥ 2.85×) — ${ratio >= 2.85 ? 'met' : 'NOT met'}`);
      verdicts.push(`share of the summed limits achieved ${(share * 100).toFixed(1)}% (goal ≥ 95%) — ${share >= 0.95 ? 'met' : 'NOT met'}`);
      verdicts.push(
        `429s caused with limits known: ${one.rateLimited + three.rateLimited} (goal 0) — ${one.rateLimited + three.rateLimited === 0 ? 'met' : 'NOT met'}`,
      );
    } else {
      verdicts.push(
        `limits learned (informational): speed-up ${ratio.toFixed(2)}×, ${one.rateLimited + three.rateLimited} 429s. Gemini sends no limit headers, so Hive starts from its default (150 RPM) and meets the test window's far smaller limit only through 429s; real limits are per minute. Set Gemini's with /hive lanes limits.`,
      );
    }
  }
  return {
    name: `throughput: cheap jobs piped through the terminal adapter, each key limited to ${LIMIT} requests per ${WINDOW_MS} ms (token bucket)`,
    rows,
    verdicts,
  };
}
