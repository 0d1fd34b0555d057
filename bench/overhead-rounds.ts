import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { loadConfig } from '../src/app/config.ts';
import { createHive, type Hive } from '../src/app/hive.ts';
import { median, ms, percentile } from './stats.ts';

export const KEY = 'sk-bench-overhead-0123456789abcdefgh';

/** One contender's times: each round's median, and every job. */
export interface Times {
  medians: number[];
  all: number[];
}

/** A Hive in this process against the fake at `url`, with the lane limits lifted (the engine is measured, not pacing). */
export async function openBenchHive(url: string, env: Record<string, string>): Promise<Hive> {
  const hive = await createHive(
    loadConfig({ HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: url, ...env }),
    { logSink: { write: () => undefined } },
  );
  await hive.ctx.settings.update('local', (s) => void (s.vendorLimits = { openai: { rpm: 1e9, tpm: 1e12, concurrency: 1000 } }));
  return hive;
}

/** One job through Hive's engine: the same question, model and workspace every time. */
export async function hiveJob(hive: Hive): Promise<void> {
  await hive.ctx.runner.ask({
    origin: { workspaceId: 'local', channelId: 'bench', userId: 'bench', platform: 'bench', command: 'ask' },
    question: 'What is 6 times 7?',
    route: { model: { vendor: 'openai', model: 'gpt-6-luna' } },
  });
}

/** The same request straight through the OpenAI SDK, streamed as Hive streams it. */
export function sdkJob(url: string): () => Promise<void> {
  const client = new OpenAI({ apiKey: KEY, baseURL: url, maxRetries: 0 });
  return async () => {
    const s = await client.chat.completions.create({
      model: 'gpt-6-luna',
      messages: [{ role: 'user', content: 'What is 6 times 7?' }],
      max_tokens: 2048,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of s) void chunk;
  };
}

/**
 * Runs every contender's jobs one at a time, interleaved (a, b, c, a, b, c…, the order rotated each
 * round) so drift and noise on a shared machine hit all alike; warm-up jobs first.
 */
export async function interleave(jobs: Record<string, () => Promise<void>>, rounds: number, perRound: number, warmUp = 20): Promise<Record<string, Times>> {
  const names = Object.keys(jobs);
  const out: Record<string, Times> = Object.fromEntries(names.map((n) => [n, { medians: [], all: [] }]));
  for (let i = 0; i < warmUp; i++) for (const n of names) await jobs[n]!();
  for (let r = 0; r < rounds; r++) {
    const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < perRound * names.length; i++) {
      const n = names[(i + r) % names.length]!;
      const t0 = performance.now();
      await jobs[n]!();
      times[n]!.push(performance.now() - t0);
    }
    for (const n of names) {
      out[n]!.medians.push(median(times[n]!));
      out[n]!.all.push(...times[n]!);
    }
  }
  return out;
}

/** Added time of `x` over `base`: the median of the per-round median differences, and the p99 difference. */
export function overhead(x: Times, base: Times): { median: number; p99: number } {
  return { median: median(x.medians.map((m, i) => m - base.medians[i]!)), p99: percentile(x.all, 99) - percentile(base.all, 99) };
}

/** A table row for one contender beside the SDK. */
export function overheadRow(label: string, x: Times, sdk: Times): Record<string, string> {
  const o = overhead(x, sdk);
  return {
    store: label,
    'SDK median': ms(median(sdk.medians)),
    'SDK p99': ms(percentile(sdk.all, 99)),
    'Hive median': ms(median(x.medians)),
    'Hive p99': ms(percentile(x.all, 99)),
    'overhead median': ms(o.median),
    'overhead p99': ms(o.p99),
  };
}

/** The goal line of one store: ≤ 0.5 ms median, ≤ 2 ms p99 added per job. */
export function overheadVerdict(label: string, x: Times, sdk: Times): string {
  const o = overhead(x, sdk);
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return `${label}: overhead median ${ms(o.median)} (goal ≤ 0.5 ms) — ${met(o.median <= 0.5)}; p99 ${ms(o.p99)} (goal ≤ 2 ms) — ${met(o.p99 <= 2)}`;
}
