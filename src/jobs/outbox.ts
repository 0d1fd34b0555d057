import type { LogDb } from '../store/log-db.ts';

/** Where a job stands when a worker picks it up. */
export type OutboxStart =
  /** First run: nothing of it was posted. */
  | { state: 'new' }
  /**
   * A worker ran it before and stopped (killed, stalled, or could not deliver): what it posted, if
   * it said (`ref`), and the answer it could not deliver, if it kept one (`held`).
   */
  | { state: 'resumed'; ref: string | undefined; attempts: number; held?: string }
  /** Its answer went out already: nothing more may be posted. */
  | { state: 'sent' }
  /** Another run is posting its answer right now (since `since`): wait for it to finish or to be given up. */
  | { state: 'posting'; since: number };

/**
 * The delivery record of every queued job, in the SQL log store all processes share: a job's
 * answer is posted once however often the queue hands the job out, and a resumed job finds the
 * message its earlier run posted (to edit it, never to post a second).
 */
export interface Outbox {
  /**
   * Starts (or takes over) a run of the job. A run posting since before `postingBefore` is taken
   * over as dead; one posting since later is left to finish (`posting`).
   */
  begin(job: { id: string; platform: string; workspaceId: string }, owner: string, postingBefore: number): Promise<OutboxStart>;
  /**
   * Records the message a job posted (its placeholder, or its answer's first part) before anything
   * else happens, while `owner` holds the job: running, or posting its answer (a fast answer is
   * posted with no placeholder, after the right to post was taken).
   */
  posted(jobId: string, ref: string, owner: string): Promise<void>;
  /**
   * Takes the right to post the answer, if this owner still holds the job: false when another
   * worker took it over (this one was thought dead), which then posts instead. The answer is kept
   * with it (sealed by the caller), so a run that takes over a post cut short delivers the same answer.
   */
  claimPost(jobId: string, owner: string, reply?: string): Promise<boolean>;
  /** Marks the answer delivered. */
  sent(jobId: string): Promise<void>;
  /**
   * Keeps an answer this owner could not deliver (sealed by the caller) for the job's next run, and
   * gives up the right to post, so that run delivers it at once instead of asking the model again.
   */
  hold(jobId: string, owner: string, reply: string): Promise<void>;
  /** Deletes records older than `beforeMs` (their jobs are long gone from the queue). */
  prune(beforeMs: number): Promise<number>;
}

/** Creates the outbox over the log database; `now` stamps creation, posting and delivery. */
export function createOutbox(db: LogDb, now: () => number = Date.now): Outbox {
  return {
    begin: (job, owner, postingBefore) => beginRun(db, now, job, owner, postingBefore),
    async posted(jobId, ref, owner) {
      await db.updateTable('outbox').set({ ref }).where('job_id', '=', jobId).where('owner', '=', owner).where('state', 'in', ['running', 'posting']).execute();
    },
    async claimPost(jobId, owner, reply) {
      const r = await db
        .updateTable('outbox')
        .set({ state: 'posting', posting_at: now(), ...(reply === undefined ? {} : { held_reply: reply }) })
        .where('job_id', '=', jobId)
        .where('owner', '=', owner)
        .where('state', '=', 'running')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async sent(jobId) {
      await db.updateTable('outbox').set({ state: 'sent', sent_at: now(), held_reply: null }).where('job_id', '=', jobId).execute();
    },
    async hold(jobId, owner, reply) {
      await db
        .updateTable('outbox')
        .set({ state: 'running', held_reply: reply, posting_at: null })
        .where('job_id', '=', jobId)
        .where('owner', '=', owner)
        .where('state', '=', 'posting')
        .execute();
    },
    async prune(beforeMs) {
      const r = await db.deleteFrom('outbox').where('created_at', '<', beforeMs).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** Inserts the job's first run, or takes over a run that stopped; otherwise says who has its answer. */
async function beginRun(
  db: LogDb,
  now: () => number,
  job: { id: string; platform: string; workspaceId: string },
  owner: string,
  postingBefore: number,
): Promise<OutboxStart> {
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
      held_reply: null,
    })
    .onConflict((oc) => oc.column('job_id').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { state: 'new' };
  const row = await db
    .updateTable('outbox')
    .set((eb) => ({ owner, state: 'running', attempts: eb('attempts', '+', 1), posting_at: null }))
    .where('job_id', '=', job.id)
    // The queue hands a job out again only once its worker stopped renewing the lock. A run killed
    // while posting left its answer unfinished (what it noted is edited, not reposted); a run
    // posting lately may be alive and about to finish, so it is left alone until it is overdue.
    .where((eb) => eb.or([eb('state', '=', 'running'), eb.and([eb('state', '=', 'posting'), eb('posting_at', '<=', postingBefore)])]))
    .returning(['ref', 'attempts', 'held_reply'])
    .executeTakeFirst();
  if (row) return { state: 'resumed', ref: row.ref ?? undefined, attempts: Number(row.attempts), ...(row.held_reply ? { held: row.held_reply } : {}) };
  const now_ = await db.selectFrom('outbox').select(['state', 'posting_at']).where('job_id', '=', job.id).executeTakeFirst();
  return now_?.state === 'posting' ? { state: 'posting', since: Number(now_.posting_at) } : { state: 'sent' };
}
