import { inBatches } from '../store/log-batches.ts';
import type { LogDb } from '../store/log-db.ts';

/** Milliseconds in a day: retention is set in days. */
export const DAY_MS = 24 * 3600 * 1000;
/** How long an evidence record is kept and shown; its prompt and answer expire sooner (`retentionDays`). */
export const RECORD_TTL_MS = 400 * DAY_MS;

/** Clears prompts and answers past their expiry, then deletes records past `RECORD_TTL_MS`, as of `at`. */
export async function expireEvidence(db: LogDb, at: number): Promise<void> {
  // Bounded batches (by indexed subquery), never one statement over every expired row.
  await inBatches(async (size) => {
    const pending = db.selectFrom('evidence').select('id').where('content_expires_at', '<=', at).where('content', 'is not', null).limit(size);
    return (await db.updateTable('evidence').set({ content: null }).where('id', 'in', pending).executeTakeFirst()).numUpdatedRows;
  });
  await inBatches(async (size) => {
    const old = db
      .selectFrom('evidence')
      .select('id')
      .where('created_at', '<=', at - RECORD_TTL_MS)
      .limit(size);
    return (await db.deleteFrom('evidence').where('id', 'in', old).executeTakeFirst()).numDeletedRows;
  });
}
