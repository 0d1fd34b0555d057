import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { JOB_ATTEMPTS, JOB_RETRY_BASE_MS, type JobConsumer, type JobHandler, type JobQueue } from '../../src/jobs/job-queue.ts';
import { openJob, sealJob, type QueuedJob, type QueuedJobData } from '../../src/chat/queued-job.ts';
import type { Sealer } from '../../src/keys/crypto.ts';
import type { Logger } from '../../src/shared/log.ts';

/** The one queue every process of an install shares. */
export const JOB_QUEUE_NAME = 'hive-jobs';

export interface BullQueueOptions {
  /** `HIVE_QUEUE_URL`: redis://… or rediss://… */
  url: string;
  sealer: Sealer;
  log: Logger;
  /** Another queue name (tests and benches run side by side on one Redis). */
  name?: string;
}

/** BullMQ's ids may not contain `:`; platform event ids are kept readable otherwise. */
export const bullJobId = (id: string): string => id.replaceAll(':', '~');

/** How long finished jobs stay visible in the queue (for inspection); the outbox keeps delivery truth longer. */
const KEEP_DONE = { age: 3_600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3_600 };

/**
 * Intake's side: idempotent adds (the job id is the platform event's). A run that fails (the log
 * store or the platform away; vendor calls are retried by the router, inside the run) is run
 * again after a growing wait, up to `JOB_ATTEMPTS` runs.
 */
export function createBullQueue(o: BullQueueOptions): JobQueue {
  const queue = new Queue<QueuedJobData>(o.name ?? JOB_QUEUE_NAME, { connection: connectionOf(o.url, false) });
  queue.on('error', (err) => o.log.warn({ err }, 'job queue connection error'));
  return {
    async add(job) {
      await queue.add(job.command, sealJob(o.sealer, job), {
        jobId: bullJobId(job.id),
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: JOB_RETRY_BASE_MS },
        removeOnComplete: KEEP_DONE,
        removeOnFail: KEEP_FAILED,
      });
    },
    async depth() {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed');
      return { waiting: c.waiting ?? 0, active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
    },
    ping: () => pingBackend(queue.backend),
    close: () => queue.close(),
  };
}

export interface BullWorkerOptions extends BullQueueOptions {
  handler: JobHandler;
  /** Jobs this process runs at once (mostly waiting on vendors, so many). */
  concurrency: number;
  /** A job whose worker stops renewing its lock this long is handed to another worker. */
  lockMs: number;
  /** A job given up on (stalled past BullMQ's limit, or its run threw): answer the user with an error. */
  onAbandoned(job: QueuedJob, reason: string): Promise<void>;
}

/** A worker's side: takes jobs, renews their locks while they run, and lets BullMQ resume a killed worker's jobs elsewhere. */
export function startBullWorker(o: BullWorkerOptions): JobConsumer {
  const open = (job: Job<QueuedJobData>) => {
    if (job.id !== bullJobId(job.data.id)) throw new Error('queued job data does not belong to its queue entry');
    return openJob(o.sealer, job.data.id, job.data);
  };
  const worker = new Worker<QueuedJobData>(o.name ?? JOB_QUEUE_NAME, (job) => o.handler(open(job), { stalled: job.stalledCounter }), {
    connection: connectionOf(o.url, true),
    concurrency: o.concurrency,
    lockDuration: o.lockMs,
    stalledInterval: Math.max(1_000, Math.round(o.lockMs / 2)),
    maxStalledCount: 1,
  });
  worker.on('error', (err) => o.log.warn({ err }, 'job queue connection error'));
  worker.on('failed', (job, err) => {
    if (!job) return;
    // A run that will be tried again is not the end of the job: its user hears nothing yet.
    if (job.attemptsMade < (job.opts.attempts ?? 1) && !/stalled more than/i.test(err.message))
      return void o.log.warn({ err, jobId: job.id, attempt: job.attemptsMade }, 'job run failed; it is tried again');
    o.log.error({ err, jobId: job.id }, 'job given up');
    let queued: QueuedJob;
    try {
      queued = open(job);
    } catch (e) {
      return void o.log.error({ err: e, jobId: job.id }, 'could not open a failed job');
    }
    o.onAbandoned(queued, err.message).catch((e: unknown) => o.log.error({ err: e, jobId: job.id }, 'could not tell the user a job failed'));
  });
  return {
    close: () => worker.close(),
    ping: () => pingBackend(worker.backend),
  };
}

/** The deadline of one connection attempt, and of one intake command (an add): a silent Redis is a failure, not a wait. */
const CONNECT_MS = 5_000;
const COMMAND_MS = 5_000;

/**
 * Workers block on Redis, so their commands never time out (a lost connection is reconnected);
 * intake fails fast, and its adds are tried again by the dispatcher until the queue is back.
 */
function connectionOf(url: string, blocking: boolean): ConnectionOptions {
  return {
    url,
    connectTimeout: CONNECT_MS,
    ...(blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 2, enableOfflineQueue: false, commandTimeout: COMMAND_MS }),
  };
}

/** Whether the queue's Redis answers a PING. */
async function pingBackend(backend: { client: Promise<{ runCommand(name: string, args: unknown[]): Promise<unknown> }> }): Promise<boolean> {
  return (await (await backend.client).runCommand('ping', [])) === 'PONG';
}
