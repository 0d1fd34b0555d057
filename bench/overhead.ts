import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/app/config.ts';
import { createHive, type Hive } from '../src/app/hive.ts';
import { ConfigError } from '../src/shared/errors.ts';
import { ZERO_USAGE, type ModelProvider } from '../src/shared/provider-spec.ts';
import { hiveJob, interleave, KEY, openBenchHive, overheadRow, overheadVerdict, sdkJob } from './overhead-rounds.ts';
import { startFakeVendorProcess } from './processes.ts';
import { median, ms, percentile } from './stats.ts';
import type { BenchResult } from './types.ts';

const ROUNDS = 15;
const PER_ROUND = 40;

/** The stores measured: memory and SQLite always; PostgreSQL when HIVE_BENCH_POSTGRES_URL names a database. */
function storeEnvs(dir: string, verdicts: string[]): Record<string, Record<string, string>> {
  const stores: Record<string, Record<string, string>> = {
    memory: { HIVE_DATA_DIR: dir, HIVE_STORE_URL: 'memory://' },
    sqlite: { HIVE_DATA_DIR: dir, HIVE_STORE_URL: `sqlite://${dir}/hive.sqlite` },
  };
  const pg = process.env.HIVE_BENCH_POSTGRES_URL;
  if (!pg) verdicts.push('postgres: skipped (set HIVE_BENCH_POSTGRES_URL)');
  else {
    const env = { HIVE_DATA_DIR: dir, HIVE_STORE_URL: `sqlite://${dir}/hive-pg.sqlite`, HIVE_DATABASE_URL: pg };
    try {
      loadConfig(env);
      stores.postgres = env;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      verdicts.push(`postgres: not measured — this build refuses HIVE_DATABASE_URL=${new URL(pg).protocol}//… (${e.message.replace(/\s+/g, ' ')})`);
    }
  }
  return stores;
}

/**
 * Engine overhead per job: the same question through Hive (one per store) and straight through the
 * SDK, interleaved job by job, against one fake vendor in its own process.
 */
export async function benchOverhead(): Promise<BenchResult> {
  const fake = await startFakeVendorProcess({ vendor: 'openai', latencyMs: 0 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-'));
  const rows: BenchResult['rows'] = [];
  const verdicts: string[] = [];
  const hives: Record<string, Hive> = {};
  try {
    for (const [name, env] of Object.entries(storeEnvs(dir, verdicts))) hives[name] = await openBenchHive(fake.url, env);
    const jobs: Record<string, () => Promise<void>> = { sdk: sdkJob(fake.url) };
    for (const [name, hive] of Object.entries(hives)) jobs[name] = () => hiveJob(hive);
    const t = await interleave(jobs, ROUNDS, PER_ROUND);
    for (const name of Object.keys(hives)) {
      rows.push(overheadRow(name, t[name]!, t.sdk!));
      verdicts.unshift(overheadVerdict(name, t[name]!, t.sdk!));
    }
  } finally {
    for (const h of Object.values(hives)) await h.close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const core = await coreOnly();
  rows.push({ store: 'memory, stub provider (core only)', 'Hive median': ms(core.median), 'Hive p99': ms(core.p99) });
  verdicts.push(`the core alone (routing, pacing, budget, ledger, evidence, footer; no HTTP): median ${ms(core.median)}, p99 ${ms(core.p99)}`);
  return { name: 'engine overhead per job (vs the SDK directly; fake vendor in its own process)', rows, verdicts: order(verdicts) };
}

/** Goal lines first (memory, sqlite, postgres), notes after. */
const order = (v: string[]) => [...v.filter((l) => l.includes('goal')).reverse(), ...v.filter((l) => !l.includes('goal'))];

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
  for (let i = 0; i < 500; i++) await hiveJob(hive);
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    await hiveJob(hive);
    times.push(performance.now() - t0);
  }
  await hive.close();
  return { median: median(times), p99: percentile(times, 99) };
}
