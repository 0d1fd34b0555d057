import type { JobQueue } from '../../src/jobs/job-queue.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';

/** A queue in memory that records what intake added (once per id, as BullMQ does), for tests that play the worker themselves. */
export interface MemoryQueue extends JobQueue {
  /** Every distinct job added, in order. */
  jobs: QueuedJob[];
  /** How many adds arrived, duplicates included. */
  adds: number;
  /** Resolves once `n` distinct jobs are queued. */
  waitFor(n: number, timeoutMs?: number): Promise<QueuedJob[]>;
}

export function createMemoryQueue(): MemoryQueue {
  const jobs: QueuedJob[] = [];
  const q: MemoryQueue = {
    jobs,
    adds: 0,
    async add(job) {
      q.adds++;
      // Through JSON, as a real queue would carry it: nothing but data reaches the worker.
      if (!jobs.some((j) => j.id === job.id)) jobs.push(JSON.parse(JSON.stringify(job)) as QueuedJob);
    },
    depth: async () => ({ waiting: jobs.length, active: 0, delayed: 0, failed: 0 }),
    ping: async () => true,
    close: async () => undefined,
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (jobs.length < n) {
        if (Date.now() > until) throw new Error(`memory queue: ${jobs.length} of ${n} jobs queued`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return jobs;
    },
  };
  return q;
}
