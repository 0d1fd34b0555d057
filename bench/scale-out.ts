import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { median, percentile } from './stats.ts';
import type { BenchResult } from './types.ts';
import { runLatency, ROUNDS, type LatencyFigures } from './scale-out-latency.ts';
import { POSTGRES_URL, REDIS_URL } from './scale-out-stack.ts';
import { HIVE_BOUND, runThroughputCase, VENDOR_BOUND, type BurstFigures, type ThroughputCase } from './scale-out-throughput.ts';

const NAME = 'scale-out: BullMQ workers over Redis and PostgreSQL, fake Slack and a fake OpenAI process';
const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** One throughput row: jobs/s against the case's ideal, and the 429s the fake sent. */
function throughputRow(c: ThroughputCase, b: BurstFigures, one: BurstFigures): BenchResult['rows'][number] {
  return {
    measure: c.label,
    workers: b.workers,
    jobs: b.jobs,
    answered: b.answered,
    'wall s': round1(b.wallMs / 1000),
    'jobs/s': round1(b.perS),
    'ideal jobs/s': round1(b.idealPerS),
    'share of ideal': pct(b.perS / b.idealPerS),
    'vs 1 worker': `${(b.perS / one.perS).toFixed(2)}×`,
    '429s': b.rateLimited,
  };
}

/** Latency rows: each mode's median and p95, the difference, and the worker's own `queuedMs`. */
function latencyRows(l: LatencyFigures): BenchResult['rows'] {
  const row = (measure: string, p50: number, p95: number) => ({ measure, rounds: ROUNDS, 'p50 ms': round1(p50), 'p95 ms': round1(p95) });
  const q = (xs: number[]) => [median(xs), percentile(xs, 95)] as const;
  const [d50, d95] = q(l.direct);
  const [q50, q95] = q(l.queued);
  return [
    row('slash POST → final answer: HIVE_ROLE=all, no queue (20 ms vendor)', d50, d95),
    row('slash POST → final answer: intake + worker over BullMQ (20 ms vendor)', q50, q95),
    row('added by the queue hop (difference)', q50 - d50, q95 - d95),
    row("worker's queuedMs (enqueued → taken)", ...q(l.queuedMs)),
  ];
}

function verdicts(vendor: BurstFigures[], hive: BurstFigures[], l: LatencyFigures): string[] {
  const shares = vendor.map((b) => b.perS / b.idealPerS);
  const limited = vendor.reduce((n, b) => n + b.rateLimited, 0);
  const speedUp = (bs: BurstFigures[], i: number) => bs[i]!.perS / bs[0]!.perS;
  const added = median(l.queued) - median(l.direct);
  return [
    `vendor-bound: share of the vendor-limited ideal ≥ 90% at 1, 2 and 4 workers (${shares.map(pct).join(', ')}) — ${met(shares.every((s) => s >= 0.9))}`,
    `vendor-bound: 429s from the fake across all worker counts ${limited} (goal 0) — ${met(limited === 0)}`,
    `vendor-bound: 4 workers ÷ 1 worker ${speedUp(vendor, 2).toFixed(2)}× (goal: within 0.9–1.1×, more workers neither help nor break the limit) — ${met(Math.abs(speedUp(vendor, 2) - 1) <= 0.1)}`,
    `Hive-bound: 2 workers ÷ 1 ${speedUp(hive, 1).toFixed(2)}× (goal ≥ 1.8×) — ${met(speedUp(hive, 1) >= 1.8)}; 4 ÷ 1 ${speedUp(hive, 2).toFixed(2)}× (goal ≥ 3×) — ${met(speedUp(hive, 2) >= 3)}; every process shares this machine's ${cpus().length} CPUs`,
    `queue hop: adds ${round1(added)} ms at the median, ${round1(percentile(l.queued, 95) - percentile(l.direct, 95))} ms at p95, over ${ROUNDS} interleaved rounds (goal ≤ 50 ms at the median) — ${met(added <= 50)}`,
  ];
}

/** Scale-out throughput with 1, 2 and 4 workers (vendor-bound and Hive-bound), and the queue hop's added latency. */
export async function benchScaleOut(): Promise<BenchResult> {
  if (!REDIS_URL || !POSTGRES_URL)
    return { name: NAME, rows: [], verdicts: ['skipped: set HIVE_TEST_REDIS_URL and HIVE_TEST_POSTGRES_URL (Redis databases 4 and 5 are used)'] };
  const latency = await runLatency();
  const vendor = await runThroughputCase(VENDOR_BOUND);
  const hive = await runThroughputCase(HIVE_BOUND);
  const rows = [
    ...vendor.map((b) => throughputRow(VENDOR_BOUND, b, vendor[0]!)),
    ...hive.map((b) => throughputRow(HIVE_BOUND, b, hive[0]!)),
    ...latencyRows(latency),
  ];
  return { name: NAME, rows, verdicts: verdicts(vendor, hive, latency) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchScaleOut().then(
    (r) => {
      console.table(r.rows);
      for (const v of r.verdicts) console.log(v);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
