import type { LogDb } from '../store/log-db.ts';

/** Where a job stands when a worker picks it up. */
export type OutboxStart =
  /** First run: nothing of it was posted. */
  | { state: 'new' }
  /** A worker ran it before and stopped (killed, stalled): what it posted, if it said (`ref`). */
  | { state: 'resumed'; ref: string | undefined; attempts: number }
  /** Its answer went out already: nothing more may be posted. */
  | { state: 'sent' };

/**
 * The delivery record of every queued job, in the SQL log store all processes share: a job's
 * answer is posted once however often the queue hands the job out, and a resumed job finds the
 * message its earlier run posted (to edit it, never to post a second).
 */
export interface Outbox {
  begin(job: { id: string; platform: string; workspaceId: string }, owner: string): Promise<OutboxStart>;
  /** Records the message a job posted (its placeholder or first part) before anything else happens. */
  posted(jobId: string, ref: string): Promise<void>;
  /**
   * Takes the right to post the answer, if this owner still holds the job: false when another
   * worker took it over (this one was thought dead), which then posts instead.
   */
  claimPost(jobId: string, owner: string): Promise<boolean>;
  /** Marks the answer delivered. */
  sent(jobId: string): Promise<void>;
  /** Deletes records older than `beforeMs` (their jobs are long gone from the queue). */
  prune(beforeMs: number): Promise<number>;
}

export function createOutbox(db: LogDb, now: () => number = Date.now): Outbox {
  return {
    async begin(job, owner) {
      const inserted = await db
        .insertInto('outbox')
        .values({
          job_id: job.id,
          platform: job.platform,
          workspace_id: job.workspaceId,
          state: 'running',
          owner,
          attempts: 1,
          ref: null,
          created_at: now(),
          sent_at: null,
        })
        .onConflict((oc) => oc.column('job_id').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { state: 'new' };
      const row = await db
        .updateTable('outbox')
        .set((eb) => ({ owner, state: 'running', attempts: eb('attempts', '+', 1) }))
        .where('job_id', '=', job.id)
        // The queue hands a job out again only once its worker stopped renewing the lock: a worker
        // killed while posting left its answer unfinished, and what it noted is edited, not reposted.
        .where('state', 'in', ['running', 'posting'])
        .returning(['ref', 'attempts'])
        .executeTakeFirst();
      return row ? { state: 'resumed', ref: row.ref ?? undefined, attempts: Number(row.attempts) } : { state: 'sent' };
    },
    async posted(jobId, ref) {
      await db.updateTable('outbox').set({ ref }).where('job_id', '=', jobId).where('state', '=', 'running').execute();
    },
    async claimPost(jobId, owner) {
      const r = await db
        .updateTable('outbox')
        .set({ state: 'posting' })
        .where('job_id', '=', jobId)
        .where('owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async sent(jobId) {
      await db.updateTable('outbox').set({ state: 'sent', sent_at: now() }).where('job_id', '=', jobId).execute();
    },
    async prune(beforeMs) {
      const r = await db.deleteFrom('outbox').where('created_at', '<', beforeMs).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
