import type { QueuedJob } from '../chat/queued-job.ts';

/** How many jobs wait and run, for the queue's log line and `/readyz`. */
export interface QueueDepth {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Where intake puts model jobs for workers (BullMQ at scale); adding the same id twice adds one job. */
export interface JobQueue {
  add(job: QueuedJob): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Whether the queue's server answers (for `/readyz`). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * Runs a queued job gets before it is given up and its user told: enough to ride out a short
 * outage of the log store or a platform, few enough that a job that cannot succeed ends soon.
 */
export const JOB_ATTEMPTS = 5;

/** The wait before a failed run's next one, doubled each time (2, 4, 8, 16 s). */
export const JOB_RETRY_BASE_MS = 2_000;

/** What a worker does with one job; a throw leaves the job to the queue's retry rules. */
export type JobHandler = (job: QueuedJob, attempt: { stalled: number }) => Promise<void>;

/** A worker's hold on the queue: takes jobs until stopped, then lets the jobs it runs finish. */
export interface JobConsumer {
  /** Stops taking jobs and waits for those running to finish. */
  close(): Promise<void>;
  ping(): Promise<boolean>;
}
