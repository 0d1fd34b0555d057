import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/app/config.ts';
import { createHive, type Hive } from '../src/app/hive.ts';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { startFakeVendor, type FakeVendor } from '../test/fakes/fake-vendor.ts';
import { median } from './stats.ts';
import type { BenchResult } from './types.ts';
import { fakeSecret } from '../test/helpers/fake-secret.ts';

/** Fake latencies per vendor: different on purpose, so the slowest member decides the wall time. */
const LATENCY_MS: Record<Vendor, number> = { anthropic: 60, openai: 120, google: 200 };
const ROUNDS = 7;
const GOAL = 1.05;
const ENV: Record<Vendor, [string, string, string]> = {
  anthropic: ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', fakeSecret('sk-ant-', 'bench-0123456789abcdefghij')],
  openai: ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'sk-bench-0123456789abcdefghijklmn'],
  google: ['GEMINI_API_KEY', 'GEMINI_BASE_URL', fakeSecret('AIza', 'Bench0123456789abcdefghijklm')],
};

/**
 * Wall time of a 3-vendor consensus ÷ its slowest member's time, over fakes with different
 * latencies: 1.00 means the panel costs no more time than its slowest model (goal ≤ 1.05 before
 * any synthesis call; the answers agree, so none is made).
 */
export async function benchConsensus(): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-consensus-'));
  const fakes: FakeVendor[] = [];
  const env: Record<string, string> = {
    HIVE_STORE_URL: 'memory://',
    HIVE_DATA_DIR: dir,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  };
  for (const vendor of Object.keys(LATENCY_MS) as Vendor[]) {
    const fake = await startFakeVendor({ vendor, respond: () => ({ text: '42', usage: { input: 40, output: 2 }, latencyMs: LATENCY_MS[vendor] }) });
    fakes.push(fake);
    const [keyVar, urlVar, key] = ENV[vendor];
    env[keyVar] = key;
    env[urlVar] = fake.url;
  }
  const hive = await createHive(loadConfig(env), { logSink: { write: () => undefined }, consensus: { graceMs: 10_000 } });
  try {
    await runOnce(hive); // warm-up: SDK clients, connections
    const rows: BenchResult['rows'] = [];
    for (let round = 1; round <= ROUNDS; round++) rows.push(await round_(hive, round));
    const fanOut = median(rows.map((r) => Number(r['fan-out ÷ slowest'])));
    const whole = median(rows.map((r) => Number(r['whole job ÷ slowest'])));
    return {
      name: 'consensus: 3 vendors in parallel vs the slowest member (fakes at 60/120/200 ms)',
      rows,
      verdicts: [
        `fan-out wall ÷ slowest member, median ${fanOut.toFixed(3)} (goal ≤ ${GOAL}) — ${fanOut <= GOAL ? 'met' : 'NOT met'}`,
        `whole job (settings, keys, budget, evidence included) ÷ slowest member, median ${whole.toFixed(3)}`,
      ],
    };
  } finally {
    await hive.close();
    await Promise.all(fakes.map((f) => f.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function round_(hive: Hive, round: number): Promise<Record<string, string | number>> {
  const t0 = performance.now();
  const r = await runOnce(hive);
  const whole = performance.now() - t0;
  const slowest = Math.max(...r.outcomes.map((o) => o.latencyMs));
  const ok = r.outcomes.every((o) => o.status === 'ok') && r.synthesis === undefined;
  return {
    round,
    members: r.outcomes.map((o) => `${o.ref.vendor} ${o.latencyMs.toFixed(0)}`).join(', '),
    'slowest ms': slowest.toFixed(1),
    'fan-out ms': r.fanOutMs.toFixed(1),
    'fan-out ÷ slowest': (r.fanOutMs / slowest).toFixed(3),
    'whole job ÷ slowest': (whole / slowest).toFixed(3),
    verdict: ok ? (r.verdict.agreement ?? r.verdict.method) : 'unexpected',
  };
}

function runOnce(hive: Hive) {
  return hive.ctx.consensus.run({
    origin: { workspaceId: 'local', channelId: 'bench', userId: 'bench', platform: 'bench', command: 'consensus' },
    question: 'What is 6 times 7?',
  });
}
