import type { LogDb } from '../store/log-db.ts';
import { transact } from '../store/transact.ts';

/** Bookings that arrive together commit together: each item stays all-or-nothing, the commits are shared. */
export interface CommitQueue<T> {
  run(item: T): Promise<void>;
}

/** The most items one transaction carries. */
const GROUP_MAX = 64;

/**
 * Group commit: while one transaction is being written, the items that arrive wait and then go in
 * the next transaction together, so a burst of answers pays one BEGIN/COMMIT per group instead of
 * one per answer. A lone item commits at once, alone. `write` gets the whole group at once, so it
 * can lock shared rows in one order for all of them (no deadlock with another process). If a group
 * fails, each of its items is retried in its own transaction, so one bad item never takes the
 * others down with it.
 */
export function createCommitQueue<T>(db: LogDb, write: (trx: LogDb, items: readonly T[]) => Promise<void>): CommitQueue<T> {
  const waiting: { item: T; done: (err?: unknown) => void }[] = [];
  let busy = false;
  const alone = async (w: (typeof waiting)[number]) => {
    try {
      await transact(db, (trx) => write(trx, [w.item]));
      w.done();
    } catch (err) {
      w.done(err ?? new Error('commit failed'));
    }
  };
  const drain = async () => {
    busy = true;
    while (waiting.length > 0) {
      const group = waiting.splice(0, GROUP_MAX);
      if (group.length === 1) {
        await alone(group[0]!);
        continue;
      }
      try {
        await db.transaction().execute((trx) =>
          write(
            trx,
            group.map((w) => w.item),
          ),
        );
        for (const w of group) w.done();
      } catch {
        for (const w of group) await alone(w);
      }
    }
    busy = false;
  };
  return {
    run(item) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (!busy) void drain();
      });
    },
  };
}
