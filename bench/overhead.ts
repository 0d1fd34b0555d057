import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { loadConfig } from '../src/app/config.ts';
import { createHive, type Hive } from '../src/app/hive.ts';
import { startFakeVendor } from '../test/fakes/fake-vendor.ts';
import { median, ms, percentile } from './stats.ts';
import type { BenchResult } from './types.ts';
import { ZERO_USAGE, type ModelProvider } from '../src/types.ts';

const KEY = 'sk-bench-overhead-0123456789abcdefgh';
const ROUNDS = 15;
const PER_ROUND = 40;

/** Engine overhead per job: the same question through Hive and straight through the SDK, interleaved. */
export async function benchOverhead(): Promise<BenchResult> {
  const fake = await startFakeVendor({ vendor: 'openai', respond: () => ({ text: 'forty-two', usage: { input: 20, output: 3 } }) });
  const rows: BenchResult['rows'] = [];
  const verdicts: string[] = [];
  try {
    for (const store of ['memory', 'sqlite'] as const) {
      const { direct, engine } = await measure(fake.url, store);
      const over = engine.medians.map((m, i) => m - direct.medians[i]!);
      // Tail latency added: Hive's 99th percentile minus the SDK's, over the same interleaved rounds.
      const p99 = percentile(engine.all, 99) - percentile(direct.all, 99);
      rows.push({
        store,
        'SDK median': ms(median(direct.medians)),
        'SDK p99': ms(percentile(direct.all, 99)),
        'Hive median': ms(median(engine.medians)),
        'Hive p99': ms(percentile(engine.all, 99)),
        'overhead median': ms(median(over)),
        'overhead p99': ms(p99),
      });
      verdicts.push(
        `${store}: overhead median ${ms(median(over))} (goal ≤ 0.5 ms) — ${median(over) <= 0.5 ? 'met' : 'NOT met'}; p99 ${ms(p99)} (goal ≤ 2 ms) — ${p99 <= 2 ? 'met' : 'NOT met'}`,
      );
    }
    const core = await coreOnly();
    rows.push({ store: 'memory, stub provider (core only)', 'Hive median': ms(core.median), 'Hive p99': ms(core.p99) });
    verdicts.push(`the core alone (routing, lanes, budget, ledger, evidence, footer; no HTTP): median ${ms(core.median)}, p99 ${ms(core.p99)}`);
  } finally {
    await fake.close();
  }
  return { name: 'engine overhead per job (vs the SDK directly, same loopback fake)', rows, verdicts };
}

async function measure(url: string, store: 'memory' | 'sqlite') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-'));
  const hive = await createHive(
    loadConfig({
      HIVE_DATA_DIR: dir,
      HIVE_STORE_URL: store === 'memory' ? 'memory://' : `sqlite://${dir}/hive.sqlite`,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: KEY,
      OPENAI_BASE_URL: url,
    }),
    { logSink: { write: () => undefined } },
  );
  // The benchmark measures the engine, not Hive's own pacing: lift the default lane limits.
  await hive.ctx.settings.update('local', (s) => void (s.vendorLimits = { openai: { rpm: 1e9, tpm: 1e12, concurrency: 1000 } }));
  const client = new OpenAI({ apiKey: KEY, baseURL: url, maxRetries: 0 });
  const direct = { medians: [] as number[], all: [] as number[] };
  const engine = { medians: [] as number[], all: [] as number[] };
  const viaSdk = async () => {
    const s = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'What is 6 times 7?' }],
      max_tokens: 2048,
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of s) void chunk;
  };
  const viaHive = () => ask(hive);
  for (let i = 0; i < 20; i++) await Promise.all([viaSdk(), viaHive()]); // warm-up
  // Interleaved: within each round, jobs alternate SDK / Hive so drift hits both alike.
  for (let r = 0; r < ROUNDS; r++) {
    const times: Record<'d' | 'e', number[]> = { d: [], e: [] };
    for (let i = 0; i < PER_ROUND * 2; i++) {
      const viaEngine = (i + r) % 2 === 0;
      const t0 = performance.now();
      await (viaEngine ? viaHive() : viaSdk());
      times[viaEngine ? 'e' : 'd'].push(performance.now() - t0);
    }
    direct.medians.push(median(times.d));
    engine.medians.push(median(times.e));
    direct.all.push(...times.d);
    engine.all.push(...times.e);
  }
  await hive.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { direct, engine };
}

async function ask(hive: Hive): Promise<void> {
  await hive.ctx.runner.ask({
    origin: { workspaceId: 'local', channelId: 'bench', userId: 'bench', platform: 'bench', command: 'ask' },
    question: 'What is 6 times 7?',
    route: { model: { vendor: 'openai', model: 'gpt-4o-mini' } },
  });
}

/** The core's own cost per job with a provider that answers at once: no HTTP, no SDK. */
async function coreOnly(): Promise<{ median: number; p99: number }> {
  const stub: ModelProvider = {
    vendor: 'openai',
    generate: async (req) => ({
      vendor: 'openai',
      model: req.model,
      text: 'forty-two',
      usage: { ...ZERO_USAGE, inputTokens: 20, outputTokens: 3 },
      finishReason: { unified: 'stop', raw: 'stop' },
      latencyMs: 0,
      rawUsage: {},
    }),
    listModels: async () => [],
  };
  const hive = await createHive(
    loadConfig({
      HIVE_STORE_URL: 'memory://',
      HIVE_DATA_DIR: os.tmpdir(),
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: KEY,
    }),
    { logSink: { write: () => undefined }, providers: { openai: stub, anthropic: stub, google: stub } },
  );
  await hive.ctx.settings.update('local', (s) => void (s.vendorLimits = { openai: { rpm: 1e9, tpm: 1e12, concurrency: 1000 } }));
  for (let i = 0; i < 500; i++) await ask(hive);
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await ask(hive);
    times.push(performance.now() - t0);
  }
  await hive.close();
  return { median: median(times), p99: percentile(times, 99) };
}
