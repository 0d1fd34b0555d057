import type { ClusterProcess } from '../test/scale/cluster.ts';
import type { FakeProcessSpec } from './fake-vendor-process.ts';
import { sleep } from './processes.ts';
import { ask, finalAnswers, now, startStack, vendorStats, type KnownLimits, type Stack } from './scale-out-stack.ts';

/** Each fake OpenAI call takes this long. */
const LATENCY_MS = 200;
/** Jobs one worker runs at once (`HIVE_WORKER_CONCURRENCY`): what binds when the vendor does not. */
export const WORKER_CONCURRENCY = 8;
export const WORKER_COUNTS = [1, 2, 4] as const;
/** The fake's limit: a token bucket of 40 requests refilled every 2 s (20/s); windows this short keep the bench minutes long. */
const VENDOR_LIMIT = { requests: 40, windowMs: 2_000 };
/** What the admin sets in Hive: 5% under the vendor's. */
const HIVE_LIMIT: KnownLimits = { rpm: 38, periodMs: 2_000, concurrency: 1_000 };
/** Limits far above anything a few workers reach. */
const OPEN_LIMIT: KnownLimits = { rpm: 1_000_000, periodMs: 60_000, concurrency: 1_000 };
/** Slash commands in flight from the bench at once. */
const SENDERS = 64;
const WARM_UP_JOBS = 12;

/** One throughput case: the fake vendor, Hive's known limits, the jobs, and the rate that bounds them. */
export interface ThroughputCase {
  label: string;
  spec: FakeProcessSpec;
  limits: KnownLimits;
  jobs: number;
  /** Answers the vendor's full bucket lets out at once; the rate counts the rest, from the first post. */
  bucketJobs: number;
  /** The most jobs per second `workers` workers can answer here. */
  idealPerS(workers: number): number;
}

export const VENDOR_BOUND: ThroughputCase = {
  label: `vendor-bound: fake ${VENDOR_LIMIT.requests} req / ${VENDOR_LIMIT.windowMs / 1000} s, Hive set ${HIVE_LIMIT.rpm}`,
  spec: { vendor: 'openai', latencyMs: LATENCY_MS, rateLimit: VENDOR_LIMIT },
  limits: HIVE_LIMIT,
  jobs: 400,
  bucketJobs: VENDOR_LIMIT.requests,
  idealPerS: () => (VENDOR_LIMIT.requests / VENDOR_LIMIT.windowMs) * 1000,
};

export const HIVE_BOUND: ThroughputCase = {
  label: `Hive-bound: no vendor limit, ${WORKER_CONCURRENCY} jobs at once per worker`,
  spec: { vendor: 'openai', latencyMs: LATENCY_MS },
  limits: OPEN_LIMIT,
  jobs: 480,
  bucketJobs: 0,
  idealPerS: (workers) => ((workers * WORKER_CONCURRENCY) / LATENCY_MS) * 1000,
};

/** One burst's figures. */
export interface BurstFigures {
  workers: number;
  jobs: number;
  answered: number;
  wallMs: number;
  /** Answers per second beyond the vendor's first full bucket, from the first post to the last answer. */
  perS: number;
  idealPerS: number;
  rateLimited: number;
}

/** Sends `jobs` slash commands to the intake, `SENDERS` at a time, and waits (bounded) for every final answer. */
async function burst(stack: Stack, port: number, tag: string, jobs: number, timeoutMs: number) {
  const answers = finalAnswers(stack.slack);
  const ids = Array.from({ length: jobs }, (_, i) => `${tag}x${i}`);
  const t0 = now();
  let next = 0;
  const sender = async () => {
    while (next < ids.length) await ask(stack.slack, port, ids[next++]!);
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  await stack.slack.waitFor(() => answers.refresh().size >= jobs, timeoutMs).catch(() => undefined);
  return { t0, doneAt: [...answers.refresh().values()].sort((x, y) => x - y) };
}

/** Answers per second beyond the bucket's first `bucketJobs`, from the first post: what the refill (or the workers) let through. */
function rateAfter(t0: number, doneAt: number[], bucketJobs: number): number {
  return ((doneAt.length - bucketJobs) / (doneAt.at(-1)! - t0)) * 1000;
}

const rateLimited = async (stack: Stack) => (await vendorStats(stack.vendor)).rateLimited.total;

/** Long enough for short-window buckets (the fake's and Hive's) to fill again; minute windows are never drained here. */
const refillMs = (l: KnownLimits) => (l.periodMs < 10_000 ? 2 * l.periodMs : 1_000);

/** 1, then 2, then 4 workers on one cluster (workers added between bursts), each burst after the buckets refill. */
export async function runThroughputCase(c: ThroughputCase): Promise<BurstFigures[]> {
  const stack = await startStack(c.spec, c.limits);
  const out: BurstFigures[] = [];
  try {
    const workerEnv = { HIVE_WORKER_CONCURRENCY: String(WORKER_CONCURRENCY) };
    const [intake, first] = await Promise.all([stack.start('intake', 'serve'), stack.start('worker-1', 'worker', workerEnv)]);
    const workers: ClusterProcess[] = [first];
    for (const n of WORKER_COUNTS) {
      const more = Array.from({ length: n - workers.length }, (_, i) => stack.start(`worker-${workers.length + i + 1}`, 'worker', workerEnv));
      workers.push(...(await Promise.all(more)));
      await burst(stack, intake.port, `w${n}warm`, WARM_UP_JOBS, 30_000);
      await sleep(refillMs(c.limits)); // every bucket full again
      const before = await rateLimited(stack);
      const { t0, doneAt } = await burst(stack, intake.port, `w${n}`, c.jobs, (4 * c.jobs * 1000) / c.idealPerS(1) + 30_000);
      const perS = rateAfter(t0, doneAt, c.bucketJobs);
      const wallMs = doneAt.at(-1)! - t0;
      out.push({
        workers: n,
        jobs: c.jobs,
        answered: doneAt.length,
        wallMs,
        perS,
        idealPerS: c.idealPerS(n),
        rateLimited: (await rateLimited(stack)) - before,
      });
    }
  } finally {
    await stack.close();
  }
  return out;
}
