import type { Clock } from '../shared/clock.ts';
import type { Sealer } from '../keys/crypto.ts';
import type { Logger } from '../shared/log.ts';
import type { LogDb } from '../store/log-db.ts';
import { JOB_ATTEMPTS, JOB_RETRY_BASE_MS, type JobConsumer, type JobHandler, type JobQueue } from './job-queue.ts';
import { openJob, sealJob, type QueuedJob, type QueuedJobData } from '../chat/queued-job.ts';
import { createRunSlots } from './run-slots.ts';

/** The queue of one process on its own: acknowledged jobs kept in the log store until they are finished. */
export interface LocalQueue extends JobQueue {
  /**
   * Runs queued jobs in this process, beginning with those a stopped process left (kill -9, power
   * loss); its `close` lets the jobs it holds finish.
   */
  consume(o: LocalConsumerOptions): JobConsumer;
}

export interface LocalConsumerOptions {
  handler: JobHandler;
  /** A job given up on (its runs kept failing or stopping the process): its user hears so. */
  onAbandoned(job: QueuedJob, reason: string): Promise<void>;
  /** Jobs run at once; more wait their turn in the store. */
  concurrency: number;
}

export interface LocalQueueOptions {
  db: LogDb;
  sealer: Sealer;
  log: Logger;
  clock: Clock;
}

/**
 * A job queue in the SQL log store for one process: a job is written (sealed, as on BullMQ) before
 * intake's acknowledgement is followed by any work, runs at once here through the same handler and
 * outbox as a scale-out worker, and is deleted when finished, so a crash leaves it for the next start.
 */
export function createLocalQueue(o: LocalQueueOptions): LocalQueue {
  const { db } = o;
  let deliver: ((job: QueuedJob) => void) | undefined;
  return {
    async add(job) {
      const data = sealJob(o.sealer, job);
      await db
        .insertInto('local_jobs')
        .values({ job_id: job.id, platform: job.platform, workspace_id: job.workspaceId, data: JSON.stringify(data), enqueued_at: job.enqueuedAt, runs: 0 })
        .onConflict((oc) => oc.column('job_id').doNothing())
        .execute();
      deliver?.(job);
    },
    async depth() {
      const row = await db
        .selectFrom('local_jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirst();
      return { waiting: Number(row?.n ?? 0), active: 0, delayed: 0, failed: 0 };
    },
    ping: async () => true,
    close: async () => undefined,
    consume(c) {
      const consumer = createLocalConsumer(o, c);
      deliver = consumer.take;
      return consumer;
    },
  };
}

/** The running side: a bounded number of runs, each counted in the store before it begins. */
function createLocalConsumer(o: LocalQueueOptions, c: LocalConsumerOptions): JobConsumer & { take(job: QueuedJob): void } {
  const slots = createRunSlots(c.concurrency);
  const tries = new Map<string, number>();
  const stopping = new AbortController();
  const schedule = (job: QueuedJob) => slots.run(job.id, () => runOnce(job));
  const runOnce = async (job: QueuedJob): Promise<void> => {
    const tried = (tries.get(job.id) ?? 0) + 1;
    tries.set(job.id, tried);
    const outcome = await attempt(o, c, job);
    if (outcome === 'done') return void tries.delete(job.id);
    if (stopping.signal.aborted) return; // left in the store: the next start runs it
    if (tried < JOB_ATTEMPTS) {
      const waitMs = JOB_RETRY_BASE_MS * 2 ** (tried - 1);
      slots.later(
        o.clock.sleep(waitMs, stopping.signal).then(
          () => schedule(job),
          () => undefined,
        ),
      );
      return;
    }
    tries.delete(job.id);
    await giveUp(o, c, job, 'its runs kept failing');
  };
  void recover(o, schedule);
  return {
    take: schedule,
    ping: async () => true,
    async close() {
      stopping.abort();
      await slots.idle();
    },
  };
}

/**
 * One run: counted first, so a job that stops the process each time it runs is given up after
 * `JOB_ATTEMPTS` starts instead of running at every start for ever; then the handler; `again` when it failed.
 */
async function attempt(o: LocalQueueOptions, c: LocalConsumerOptions, job: QueuedJob): Promise<'done' | 'again'> {
  const log = o.log.child({ jobId: job.id });
  try {
    const runs = await countRun(o.db, job.id);
    if (runs === undefined) return 'done'; // finished meanwhile (a duplicate add)
    if (runs > JOB_ATTEMPTS) {
      await giveUp(o, c, job, `it was under way when the process stopped, ${runs - 1} times`);
      return 'done';
    }
    await c.handler(job, { stalled: runs - 1 });
  } catch (err) {
    log.warn({ err }, 'job run failed; it is tried again');
    return 'again';
  }
  await o.db
    .deleteFrom('local_jobs')
    .where('job_id', '=', job.id)
    .execute()
    .catch((err: unknown) => log.warn({ err }, 'could not mark a finished job done; the next start finds it answered'));
  return 'done';
}

/** Begins a run in the store: the run count after it, or undefined when the job is no longer queued. */
async function countRun(db: LogDb, jobId: string): Promise<number | undefined> {
  const row = await db
    .updateTable('local_jobs')
    .set((eb) => ({ runs: eb('runs', '+', 1) }))
    .where('job_id', '=', jobId)
    .returning('runs')
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.runs);
}

/** Tells the user the job failed and drops it; if that cannot be done now, it stays for the next start. */
async function giveUp(o: LocalQueueOptions, c: LocalConsumerOptions, job: QueuedJob, reason: string): Promise<void> {
  try {
    await c.onAbandoned(job, reason);
    await o.db.deleteFrom('local_jobs').where('job_id', '=', job.id).execute();
  } catch (err) {
    o.log.error({ err, jobId: job.id }, 'could not tell the user a job failed; the next start tries again');
  }
}

/** The jobs a stopped process left, oldest first, handed to `schedule`; one that cannot be opened is logged and dropped. */
async function recover(o: LocalQueueOptions, schedule: (job: QueuedJob) => void): Promise<void> {
  let rows: { job_id: string; data: string }[];
  try {
    rows = await o.db.selectFrom('local_jobs').select(['job_id', 'data']).orderBy('enqueued_at').execute();
  } catch (err) {
    return void o.log.error({ err }, 'could not read the jobs left unfinished; they are run at the next start');
  }
  if (rows.length > 0) o.log.warn({ jobs: rows.length }, 'finishing jobs left unfinished when Hive last stopped');
  for (const row of rows) {
    try {
      schedule(openJob(o.sealer, row.job_id, JSON.parse(row.data) as QueuedJobData));
    } catch (err) {
      o.log.error({ err, jobId: row.job_id }, 'a job left unfinished cannot be opened (sealed with another master key?); dropped');
      await o.db.deleteFrom('local_jobs').where('job_id', '=', row.job_id).execute();
    }
  }
}
