import type { LogDb } from './log-db.ts';

/**
 * PostgreSQL's codes for a transaction it aborted to let another through (deadlock, serialization
 * failure): the work was fine and succeeds when run again.
 */
const TRANSIENT_CODES = new Set(['40P01', '40001']);

/** How many times a transaction is tried before its error is passed on. */
const ATTEMPTS = 3;

const isTransient = (e: unknown) => typeof e === 'object' && e !== null && 'code' in e && TRANSIENT_CODES.has(String((e as { code: unknown }).code));

/**
 * Runs `work` in a transaction, again (up to three times in all) if the database aborted it only
 * to break a deadlock or a serialization conflict: lock order keeps those away, and this keeps a
 * booking from being lost if one still happens. `work` must not have effects outside the database.
 */
export async function transact<T>(db: LogDb, work: (trx: LogDb) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (e) {
      if (attempt >= ATTEMPTS || !isTransient(e)) throw e;
    }
  }
}
