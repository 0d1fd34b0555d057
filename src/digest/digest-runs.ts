import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';

/** How a day's digest ended. */
export type RunStatus = 'posted' | 'skipped' | 'failed';

/** The last digest of a channel, for `/digest status`. */
export interface LastRun {
  day: string;
  status: RunStatus | 'running' | 'posting';
  evidenceId: string | undefined;
  note: string | undefined;
}

/**
 * One row per channel and local day, claimed before the digest runs: the insert is atomic in the
 * store every process shares, so each day's digest runs once. A claim is leased: a process that
 * died mid-run leaves it to be taken over when the lease ends.
 */
export interface DigestRuns {
  claim(workspaceId: string, channelId: string, day: string, owner: string, leaseMs: number): Promise<boolean>;
  /** Extends a running claim this owner holds (a heartbeat while the digest is made). */
  renew(workspaceId: string, channelId: string, day: string, owner: string, leaseMs: number): Promise<void>;
  /**
   * Marks the claim as posting, if it is still this owner's: false when another process took it
   * over (this one was too slow), which then must not post. A claim marked posting is never taken over.
   */
  posting(workspaceId: string, channelId: string, day: string, owner: string): Promise<boolean>;
  finish(
    workspaceId: string,
    channelId: string,
    day: string,
    owner: string,
    end: { status: RunStatus; evidenceId?: string; costNano?: number; note?: string },
  ): Promise<void>;
  last(workspaceId: string, channelId: string): Promise<LastRun | undefined>;
  /** The status of one day's digest, if it was claimed. */
  statusOf(workspaceId: string, channelId: string, day: string): Promise<LastRun['status'] | undefined>;
}

type RunFilter = (eb: ExpressionBuilder<LogTables, 'digest_runs'>) => Expression<SqlBool>;

/** One channel's day. */
const dayOf =
  (ws: string, ch: string, day: string): RunFilter =>
  (eb) =>
    eb.and({ workspace_id: ws, channel_id: ch, day });

/** That day's claim while `owner` holds it and the digest is still being made. */
const heldBy =
  (ws: string, ch: string, day: string, owner: string): RunFilter =>
  (eb) =>
    eb.and({ workspace_id: ws, channel_id: ch, day, owner, status: 'running' });

/** Creates the claims over the log database; `now` is the clock leases are measured by. */
export function createDigestRuns(db: LogDb, now: () => number = Date.now): DigestRuns {
  return {
    claim: (ws, ch, day, owner, leaseMs) => claimRun(db, now(), { ws, ch, day, owner, leaseMs }),
    async renew(ws, ch, day, owner, leaseMs) {
      await db
        .updateTable('digest_runs')
        .set({ lease_until: now() + leaseMs })
        .where(heldBy(ws, ch, day, owner))
        .execute();
    },
    async posting(ws, ch, day, owner) {
      const r = await db
        .updateTable('digest_runs')
        .set({ status: 'posting' })
        .where(heldBy(ws, ch, day, owner))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async finish(ws, ch, day, owner, end) {
      await db
        .updateTable('digest_runs')
        .set({ status: end.status, finished_at: now(), evidence_id: end.evidenceId ?? null, cost_nano: end.costNano ?? null, note: end.note ?? null })
        .where(dayOf(ws, ch, day))
        .where('owner', '=', owner)
        .execute();
    },
    async statusOf(ws, ch, day) {
      const r = await db
        .selectFrom('digest_runs')
        .select('status')
        .where(dayOf(ws, ch, day))
        .executeTakeFirst();
      return r?.status as LastRun['status'] | undefined;
    },
    last: (ws, ch) => lastRun(db, ws, ch),
  };
}

/** Claims a channel's day at `t`: a new row, or one still running whose lease ran out (taken over by one process only). */
async function claimRun(db: LogDb, t: number, c: { ws: string; ch: string; day: string; owner: string; leaseMs: number }): Promise<boolean> {
  const inserted = await db
    .insertInto('digest_runs')
    .values({
      workspace_id: c.ws,
      channel_id: c.ch,
      day: c.day,
      owner: c.owner,
      status: 'running',
      lease_until: t + c.leaseMs,
      finished_at: null,
      evidence_id: null,
      cost_nano: null,
      note: null,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'day']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return true;
  // Taken over only while still running past its lease, and by one process: the update is conditional.
  const taken = await db
    .updateTable('digest_runs')
    .set({ owner: c.owner, lease_until: t + c.leaseMs })
    .where(dayOf(c.ws, c.ch, c.day))
    .where('status', '=', 'running')
    .where('lease_until', '<', t)
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) > 0;
}

async function lastRun(db: LogDb, ws: string, ch: string): Promise<LastRun | undefined> {
  const r = await db
    .selectFrom('digest_runs')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('channel_id', '=', ch)
    .orderBy('day', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    day: r.day,
    status: r.status as LastRun['status'],
    evidenceId: r.evidence_id ?? undefined,
    note: r.note ?? undefined,
  };
}
