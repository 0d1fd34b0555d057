import type { LogDb } from '../store/log-db.ts';

/** One unit of work that must commit atomically (a job's booking); it may share a transaction with others. */
export type Unit = (trx: LogDb) => Promise<void>;

/** Bookings that arrive together commit together: each unit stays all-or-nothing, the commits are shared. */
export interface CommitQueue {
  run(unit: Unit): Promise<void>;
}

/** The most units one transaction carries. */
const GROUP_MAX = 64;

/**
 * Group commit: while one transaction is being written, the units that arrive wait and then go in
 * the next transaction together, so a burst of answers pays one BEGIN/COMMIT per group instead of
 * one per answer. A lone unit commits at once, alone. If a group fails, each of its units is
 * retried in its own transaction, so one bad unit never takes the others down with it.
 */
export function createCommitQueue(db: LogDb): CommitQueue {
  const waiting: { unit: Unit; done: (err?: unknown) => void }[] = [];
  let busy = false;
  const alone = async (w: (typeof waiting)[number]) => {
    try {
      await db.transaction().execute(w.unit);
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
        await db.transaction().execute(async (trx) => {
          for (const w of group) await w.unit(trx);
        });
        for (const w of group) w.done();
      } catch {
        for (const w of group) await alone(w);
      }
    }
    busy = false;
  };
  return {
    run(unit) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ unit, done: (err) => (err === undefined ? resolve() : reject(err)) });
        if (!busy) void drain();
      });
    },
  };
}
