import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createTerminalAdapter } from '../adapters/chat/terminal/terminal-adapter.ts';
import { loadConfig } from '../src/app/config.ts';
import { createHive } from '../src/app/hive.ts';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { startFakeVendor, type FakeVendor } from '../test/fakes/fake-vendor.ts';
import { CANARY } from '../test/helpers/hive-harness.ts';
import type { BenchResult } from './types.ts';

const JOBS = 240;
/** Limits set by an admin: 4 requests per 250 ms per key. */
const KNOWN = { jobs: JOBS, limit: 4, windowMs: 250 };
/** Limits only learned (no admin settings): 4 requests per second per key, sent the way each vendor sends them. */
const LEARNED = { jobs: 60, limit: 4, windowMs: 1000 };
type Shape = typeof KNOWN;
/** Token limits per window in the learned run: never the binding limit, but advertised as the vendors do. */
const TOKENS = 200_000;
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
  /** 429s from the fakes after the key's first answered request, by vendor. */
  lateLimited: Record<string, number>;
  perVendor: Record<string, number>;
  /** When each answer was printed, in ms after the burst began. */
  doneAt: number[];
}

/** Pipes a burst of `/ask --cheap` lines into the terminal adapter over rate-limited fake vendors. */
export async function runBurst(vendors: Vendor[], known: boolean, shape: Shape = known ? KNOWN : LEARNED): Promise<BurstResult> {
  const { jobs, limit: LIMIT, windowMs: WINDOW_MS } = shape;
  const fakes = new Map<Vendor, FakeVendor>();
  const env: Record<string, string> = {};
  for (const v of vendors) {
    const fake = await startFakeVendor({
      vendor: v,
      rateLimit: known ? { requests: LIMIT, windowMs: WINDOW_MS } : { requests: LIMIT, inputTokens: TOKENS, outputTokens: TOKENS, windowMs: WINDOW_MS },
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
  if (known) await warmUp(hive, vendors, WINDOW_MS);
  const before = new Map([...fakes].map(([v, f]) => [v, f.requests.filter((r) => r.model).length]));
  let out = '';
  const doneAt: number[] = [];
  let t0 = performance.now();
  const output = new Writable({
    write: (c: Buffer, _e, cb) => {
      const text = c.toString();
      for (let i = 0; i < (text.match(/^— /gm) ?? []).length; i++) doneAt.push(performance.now() - t0);
      out += text;
      cb();
    },
  });
  const lines = Array.from({ length: jobs }, (_, i) => `/ask --cheap question number ${i}`).join('\n');
  const terminal = createTerminalAdapter({ input: Readable.from([lines]), output, dispatcher: hive.dispatcher });
  t0 = performance.now();
  await terminal.run();
  const wallMs = performance.now() - t0;
  await hive.close();
  const perVendor: Record<string, number> = {};
  let rateLimited = 0;
  const lateLimited: Record<string, number> = {};
  for (const [v, f] of fakes) {
    lateLimited[v] = f.rateLimited().afterFirstAnswer;
    const generates = f.requests.filter((r) => r.model).length - (before.get(v) ?? 0);
    perVendor[v] = (out.match(new RegExp(`ok from ${v}`, 'g')) ?? []).length;
    rateLimited += generates - perVendor[v]!;
    await f.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return { wallMs, answered: (out.match(/^— /gm) ?? []).length, errors: (out.match(/^! /gm) ?? []).length, rateLimited, lateLimited, perVendor, doneAt };
}

/** One call per vendor first (SDK clients, connections), then a pause so every bucket is full again. */
async function warmUp(hive: Awaited<ReturnType<typeof createHive>>, vendors: Vendor[], WINDOW_MS: number): Promise<void> {
  const origin = { workspaceId: 'local', channelId: 'warm', userId: 'warm', platform: 'bench', command: 'ask' };
  // The cheap lane's own models: paces are per model, and the warm-up must not take from the burst's buckets unseen.
  const models: Record<Vendor, string> = { anthropic: 'claude-haiku-5-5', openai: 'gpt-6-luna', google: 'gemini-3.8-flash' };
  await Promise.all(vendors.map((v) => hive.ctx.runner.ask({ origin, question: 'warm-up', route: { model: { vendor: v, model: models[v] } } })));
  await new Promise((r) => setTimeout(r, WINDOW_MS * 2));
}

/** The least time N jobs can take when each key's bucket starts full and refills `limit` per window. */
function idealMs(keys: number, s: Shape): number {
  return (Math.max(0, s.jobs - keys * s.limit) / (keys * s.limit)) * s.windowMs;
}

/** Answers per second after the first second ÷ the summed refill rate: how much of the limits was used once learned. */
function shareAfterFirstSecond(r: BurstResult, keys: number, s: Shape): number {
  const later = r.doneAt.filter((t) => t > 1000);
  if (later.length === 0) return 0;
  const span = Math.max(...later) - 1000;
  return later.length / span / ((keys * s.limit) / s.windowMs);
}

function row(known: boolean, label: string, r: BurstResult, keys: number, s: Shape): Record<string, string | number> {
  return {
    limits: known ? 'set by an admin' : 'learned (vendor headers)',
    keys: label,
    jobs: s.jobs,
    answered: r.answered,
    errors: r.errors,
    '429s': r.rateLimited,
    '429s after 1st answer': Object.entries(r.lateLimited)
      .map(([v, n]) => `${v} ${n}`)
      .join(', '),
    'wall ms': r.wallMs.toFixed(0),
    'ideal ms': idealMs(keys, s).toFixed(0),
    'per vendor': Object.entries(r.perVendor)
      .map(([v, n]) => `${v} ${n}`)
      .join(', '),
  };
}

const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

function knownVerdicts(one: BurstResult, three: BurstResult): string[] {
  const ratio = one.wallMs / three.wallMs;
  const share = idealMs(3, KNOWN) / three.wallMs;
  const caused = one.rateLimited + three.rateLimited;
  return [
    `limits set: 3 vendors ÷ 1 vendor speed-up ${ratio.toFixed(2)}× (goal ≥ 2.85×) — ${met(ratio >= 2.85)}`,
    `limits set: share of the summed limits achieved ${(share * 100).toFixed(1)}% (goal ≥ 95%) — ${met(share >= 0.95)}`,
    `limits set: 429s caused ${caused} (goal 0) — ${met(caused === 0)}`,
  ];
}

function learnedVerdicts(one: BurstResult, three: BurstResult): string[] {
  const ratio = one.wallMs / three.wallMs;
  const share = shareAfterFirstSecond(three, 3, LEARNED);
  const headerLate = ['anthropic', 'openai'].reduce((n, v) => n + (one.lateLimited[v] ?? 0) + (three.lateLimited[v] ?? 0), 0);
  const gemini = three.lateLimited['google'] ?? 0;
  return [
    `limits learned: 3 vendors ÷ 1 vendor speed-up ${ratio.toFixed(2)}× (goal ≥ 2.85×) — ${met(ratio >= 2.85)}`,
    `limits learned: share of the summed limits after the first second ${(share * 100).toFixed(1)}% (goal ≥ 90%) — ${met(share >= 0.9)}`,
    `limits learned: 429s from header-sending vendors after their first answer ${headerLate} (goal 0) — ${met(headerLate === 0)}`,
    `limits learned: Gemini 429s (no headers; learned from RetryInfo) ${three.rateLimited - (three.lateLimited['anthropic'] ?? 0) - (three.lateLimited['openai'] ?? 0)}, after its first answer ${gemini} (goal ≤ 5) — ${met(gemini <= 5)}`,
  ];
}

/** 3 vendors vs 1 under per-key limits, set by an admin and learned: the ratio, the share of the summed limits, and 429s caused. */
export async function benchThroughput(): Promise<BenchResult> {
  const rows: BenchResult['rows'] = [];
  const verdicts: string[] = [];
  for (const known of [true, false]) {
    const s = known ? KNOWN : LEARNED;
    const one = await runBurst(['openai'], known, s);
    const three = await runBurst(['anthropic', 'google', 'openai'], known, s);
    rows.push(row(known, '1 vendor', one, 1, s), row(known, '3 vendors', three, 3, s));
    verdicts.push(...(known ? knownVerdicts(one, three) : learnedVerdicts(one, three)));
  }
  return {
    name: `throughput: cheap jobs piped through the terminal adapter; each key limited (token bucket) to ${KNOWN.limit} requests per ${KNOWN.windowMs} ms with limits set, ${LEARNED.limit} per ${LEARNED.windowMs} ms learned from the fakes' vendor-style headers (Gemini: none, only RetryInfo on 429)`,
    rows,
    verdicts,
  };
}
