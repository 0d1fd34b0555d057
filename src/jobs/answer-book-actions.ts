import type { LogDb } from '../store/log-db.ts';

/** An action taken on a job: who, when, and the run that took it. */
export interface ActionTaken {
  kind: string;
  userId: string;
  at: number;
  jobId?: string;
}

/** What an action records besides its kind: where it counts (the answer's lane) and who took it. */
export interface ActionEntry extends ActionTaken {
  /** `kind` for actions that run once per job; `vote:<user>` for feedback, one per person. */
  slot: string;
  workspaceId: string;
  evidenceId?: string;
  lane?: string;
  laneReason?: string;
}

/** A claim's answer: go ahead (a first claim, or this same queued run resumed), or who took it first. */
export type Claim = { ok: true; resumed: boolean } | { ok: false; taken: ActionTaken };

/** One lane's count of one kind of action, for `/hive usage`. */
export interface ActionCount {
  lane: string;
  kind: string;
  n: number;
}

const rowOf = (ref: string, e: ActionEntry) => ({
  ref,
  slot: e.slot,
  workspace_id: e.workspaceId,
  kind: e.kind,
  user_id: e.userId,
  at: e.at,
  job_id: e.jobId ?? null,
  evidence_id: e.evidenceId ?? null,
  lane: e.lane ?? null,
  lane_reason: e.laneReason ?? null,
});

/** Inserts the action's row, or reads who holds its slot; the same queued run finds its own claim and goes on. */
export async function claimAction(db: LogDb, ref: string, entry: ActionEntry): Promise<Claim> {
  const r = await db
    .insertInto('answer_actions')
    .values(rowOf(ref, entry))
    .onConflict((oc) => oc.columns(['ref', 'slot']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) return { ok: true, resumed: false };
  const row = await db
    .selectFrom('answer_actions')
    .select(['kind', 'user_id', 'at', 'job_id'])
    .where('ref', '=', ref)
    .where('slot', '=', entry.slot)
    .executeTakeFirst();
  if (!row) return claimAction(db, ref, entry); // released in between: try once more
  if (entry.jobId !== undefined && row.job_id === entry.jobId) return { ok: true, resumed: true };
  return { ok: false, taken: { kind: row.kind, userId: row.user_id, at: Number(row.at), ...(row.job_id ? { jobId: row.job_id } : {}) } };
}

/** One vote per person and answer: the latest replaces the one before, in one transaction. */
export async function voteOn(db: LogDb, ref: string, entry: ActionEntry): Promise<string | undefined> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('answer_actions').select('kind').where('ref', '=', ref).where('slot', '=', entry.slot).executeTakeFirst();
    if (before?.kind === entry.kind) return before.kind;
    const row = rowOf(ref, entry);
    await trx
      .insertInto('answer_actions')
      .values(row)
      .onConflict((oc) => oc.columns(['ref', 'slot']).doUpdateSet({ kind: row.kind, at: row.at, job_id: row.job_id }))
      .execute();
    return before?.kind;
  });
}

/** Actions in a workspace and period, counted per lane and kind. */
export async function countActions(db: LogDb, workspaceId: string, sinceMs: number, untilMs: number): Promise<ActionCount[]> {
  const rows = await db
    .selectFrom('answer_actions')
    .select((eb) => ['lane', 'kind', eb.fn.countAll<number>().as('n')])
    .where('workspace_id', '=', workspaceId)
    .where('at', '>=', sinceMs)
    .where('at', '<', untilMs)
    .groupBy(['lane', 'kind'])
    .execute();
  return rows.map((r) => ({ lane: r.lane ?? 'unknown', kind: r.kind, n: Number(r.n) }));
}

/** Actions on the given answers, oldest first, for an export. */
export async function actionsOf(db: LogDb, ids: readonly string[]): Promise<Map<string, ActionTaken[]>> {
  const out = new Map<string, ActionTaken[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('answer_actions')
    .select(['evidence_id', 'kind', 'user_id', 'at'])
    .where('evidence_id', 'in', [...ids])
    .orderBy('at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.evidence_id!) ?? [];
    list.push({ kind: r.kind, userId: r.user_id, at: Number(r.at) });
    out.set(r.evidence_id!, list);
  }
  return out;
}
