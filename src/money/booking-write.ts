import { sql } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import { LEDGER_ROW_COLUMNS, type LogTables } from '../store/log-schema.ts';
import { param, queryTemplate } from '../store/compiled-query.ts';
import { transact } from '../store/transact.ts';

/**
 * A ledger row as the books write it, with the job's evidence id (a stopped call's row is written apart,
 * see `stopped-calls.ts`); lane and route are optional so an import without them books them as unrecorded.
 */
export type LedgerRow = Omit<LogTables['ledger'], 'id' | 'stopped' | 'lane' | 'route'> & Partial<Pick<LogTables['ledger'], 'lane' | 'route'>>;

/** What one finished call settles: its cost into every scope, its hold out, its ledger row in. */
export interface Settlement {
  holdId?: string;
  keys: readonly string[];
  costNano: number;
  /** Absent for a call that reported no usage (nothing was billed). */
  row?: LedgerRow;
  /**
   * The call's start record, taken out with its booking. When it is already gone, the call was
   * booked as stopped (its process was taken for dead), and that first booking stands: this one
   * is skipped, so no call is counted twice.
   */
  startId?: string;
}

/** More log writes that must commit with a job's settlements, e.g. its evidence record. */
export type LogWrite = (trx: LogDb) => Promise<void>;

/** What one booking commits: its calls' settlements and the writes that must land with them (the evidence record). */
export interface Booking {
  settlements: readonly Settlement[];
  also?: LogWrite;
}

/** The ledger insert, compiled once per database. */
const INSERT_LEDGER = queryTemplate<LogTables, LedgerRow>((db) =>
  db.insertInto('ledger').values(Object.fromEntries(LEDGER_ROW_COLUMNS.map((c) => [c, param(c)])) as unknown as LedgerRow),
);

/** Takes a call's start out of the books, returning it if it was still there. */
const DELETE_START = queryTemplate<LogTables, { id: string }>((db) => db.deleteFrom('call_starts').where('id', '=', param<string>('id')).returning('id'));

/** Takes a hold out of the books, returning what it held and where. */
const DELETE_HOLD = queryTemplate<LogTables, { id: string }>((db) =>
  db.deleteFrom('budget_holds').where('id', '=', param<string>('id')).returning(['amount', 'keys']),
);

/** One counter's change: settled spend added, a released hold's amount taken off `held` (never below 0). */
const CHANGE_COUNTER = queryTemplate<LogTables, { key: string; settled: number; held: number }>((db) =>
  db
    .insertInto('budget_counters')
    .values({ key: param<string>('key'), settled: param<number>('settled'), held: 0 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        settled: sql`budget_counters.settled + excluded.settled`,
        held: sql`case when budget_counters.held > ${param<number>('held')} then budget_counters.held - ${param<number>('held')} else 0 end`,
      }),
    ),
);

/**
 * Writes a group of bookings in one transaction: call starts out, ledger rows, holds out, then every counter
 * change of the whole group summed per counter and applied in key order (the order every hold and
 * release locks them in too, so concurrent transactions queue instead of deadlocking), then the
 * writes that go with them.
 */
export async function writeBookings(trx: LogDb, items: readonly Booking[]): Promise<void> {
  const changes = new Map<string, { settled: number; held: number }>();
  const change = (key: string) => changes.get(key) ?? changes.set(key, { settled: 0, held: 0 }).get(key)!;
  for (const { settlements } of items) {
    for (const s of settlements) {
      if (s.startId && (await DELETE_START.run(trx, { id: s.startId })).rows.length === 0) continue;
      if (s.row) await INSERT_LEDGER.run(trx, { ...s.row, lane: s.row.lane ?? null, route: s.row.route ?? null });
      if (s.holdId) {
        const [h] = (await DELETE_HOLD.run(trx, { id: s.holdId })).rows as { amount: number; keys: string }[];
        if (h) for (const key of new Set(JSON.parse(h.keys) as string[])) change(key).held += Number(h.amount);
      }
      if (s.costNano !== 0) for (const key of new Set(s.keys)) change(key).settled += s.costNano;
    }
  }
  for (const key of [...changes.keys()].sort()) await CHANGE_COUNTER.run(trx, { key, ...changes.get(key)! });
  for (const { also } of items) if (also) await also(trx);
}

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
