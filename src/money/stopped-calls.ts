import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';
import { transact } from '../store/transact.ts';
import { writeBookings } from './booking-write.ts';

/**
 * Which calls in flight a stopped process left: those of a job another process ran (its next run
 * books them at once), or every one whose lease ran out (the periodic sweep). Never the asking
 * process's own: it is alive, and books its calls as they end.
 */
export type StoppedCallQuery = { jobId: string; notOwner: string } | { expiredBefore: number; notOwner: string };

/**
 * Books each call a stopped process left in flight, at its worst case (every prompt byte a token,
 * the full max_tokens): the vendor may have served all of it, and only the worst case is never
 * below what it bills, the same amount the budget held for the call. Each booking takes the start
 * out in its own transaction, so a call is booked once whoever else finds it (a late settlement of
 * a process thought dead is then skipped). Returns how many were booked.
 */
export async function bookStoppedCalls(db: LogDb, q: StoppedCallQuery): Promise<number> {
  let found = db.selectFrom('call_starts').select('id').where('owner', '!=', q.notOwner);
  found = 'jobId' in q ? found.where('job_id', '=', q.jobId) : found.where('expires_at', '<', q.expiredBefore);
  let booked = 0;
  for (const { id } of await found.execute()) if (await transact(db, (trx) => bookOne(trx, id))) booked += 1;
  return booked;
}

/** Takes one start out and books it; false when someone else booked it first. */
async function bookOne(trx: LogDb, id: string): Promise<boolean> {
  const s = await trx.deleteFrom('call_starts').where('id', '=', id).returningAll().executeTakeFirst();
  if (!s) return false;
  await trx.insertInto('ledger').values(stoppedRow(s)).execute();
  const costNano = s.worst_nano === null ? 0 : Number(s.worst_nano);
  await writeBookings(trx, [{ settlements: [{ ...(s.hold_id ? { holdId: s.hold_id } : {}), keys: JSON.parse(s.keys) as string[], costNano }] }]);
  return true;
}

function stoppedRow(s: LogTables['call_starts']) {
  return {
    at: Number(s.at),
    workspace_id: s.workspace_id,
    channel_id: s.channel_id,
    user_id: s.user_id,
    vendor: s.vendor,
    model: s.model,
    input_tokens: Number(s.prompt_tokens),
    output_tokens: Number(s.max_tokens),
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_nano: s.worst_nano === null ? null : Number(s.worst_nano),
    evidence_id: s.evidence_id,
    estimated: 1,
    stopped: 1,
    lane: s.lane,
    route: s.route,
  };
}
