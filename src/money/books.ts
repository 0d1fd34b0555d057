import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import { writeBookings, type Booking, type LogWrite, type Settlement } from './booking-write.ts';
import { insertCallStart, renewCallStarts, type CallStart } from './call-starts.ts';
import { bookStoppedCalls } from './stopped-calls.ts';
import { createCommitQueue } from './booking-write.ts';
import { param, queryTemplate } from '../store/compiled-query.ts';
import type { LogTables } from '../store/log-schema.ts';
import { transact } from '../store/transact.ts';

/** One budget scope a hold is checked against; no cap means it is only counted. */
export interface ScopeLimit {
  key: string;
  capNano?: number;
}

export type { LedgerRow, LogWrite, Settlement } from './booking-write.ts';
export type { CallStart } from './call-starts.ts';

export interface Balance {
  settled: number;
  held: number;
}

/**
 * The money books: budget counters, holds for calls in flight and ledger rows, changed together in
 * one transaction so that after a crash at any moment the ledger and the counters still agree.
 */
export interface Books {
  /** Holds `amount` against every scope unless one would pass its cap (all or nothing). */
  hold(scopes: readonly ScopeLimit[], amount: number): Promise<{ id: string } | { refusedBy: string }>;
  settle(s: Settlement): Promise<void>;
  /**
   * Settles several calls and runs `also` in one transaction: a job's last booking and its evidence
   * record land together or not at all, and the answer waits for a single commit.
   */
  commit(settlements: readonly Settlement[], also?: LogWrite): Promise<void>;
  /** Gives a hold back unused (the call was never made). */
  release(holdId: string): Promise<void>;
  balances(keys: readonly string[]): Promise<Balance[]>;
  /**
   * Records a call about to be made, before it is made, and returns the id its settlement names
   * (`startId`): a call whose process stops mid-call is then still booked (`bookStoppedCalls`).
   */
  startCall(start: CallStart): Promise<string>;
  /**
   * Books, at their worst case and marked so, the calls another process left in flight: a job's
   * (when its next run begins), or all whose lease ran out (`expired`). Returns how many.
   */
  bookStoppedCalls(which: { jobId: string } | 'expired'): Promise<number>;
  /** Extends this process's holds and call starts (a heartbeat), so only a dead process's expire. */
  renewHolds(): Promise<void>;
  /** Releases holds whose lease ran out: calls of a process that died before settling them. */
  releaseExpiredHolds(): Promise<number>;
}

/** How long a hold outlives its last heartbeat; heartbeats come every third of it. */
export const HOLD_LEASE_MS = 60_000;

class Refused extends Error {
  constructor(readonly key: string) {
    super(`budget scope ${key} is full`);
  }
}

/**
 * Counter rows are always locked in key order (one row per statement), so concurrent holds and
 * settlements over the same scopes queue instead of deadlocking (a multi-row UPDATE locks in
 * whatever order PostgreSQL reads the rows).
 */
const inLockOrder = (keys: readonly string[]) => [...new Set(keys)].sort();

/**
 * Adds a hold to one counter, creating the row if it is new, in one statement: the row is locked
 * at the moment it is reached in key order, whether it existed or not. (Creating all of a hold's
 * rows first, then updating, locked new rows ahead of existing ones that sort before them: a
 * booking holding one of those and waiting for a new one deadlocked with it on PostgreSQL.)
 */
const holdCounter = (capped: boolean) =>
  queryTemplate<LogTables, { key: string; amount: number; cap: number }>((db) =>
    db
      .insertInto('budget_counters')
      .values({ key: param<string>('key'), settled: 0, held: param<number>('amount') })
      .onConflict((oc) => {
        const update = oc.column('key').doUpdateSet({ held: sql`budget_counters.held + excluded.held` });
        // The cap is checked on the locked row: a concurrent hold waits, then re-checks the new totals.
        return capped ? update.where(sql<boolean>`budget_counters.settled + budget_counters.held + excluded.held <= ${param<number>('cap')}`) : update;
      })
      .returning('key'),
  );
const HOLD_COUNTER = holdCounter(false);
const HOLD_CAPPED_COUNTER = holdCounter(true);

/** Creates the books; `owner` marks this process's holds and call starts, so only a dead process's leases run out. */
export function createBooks(db: LogDb, opts: { owner?: string; now?: () => number } = {}): Books {
  const s: BooksState = { db, owner: opts.owner ?? randomUUID(), now: opts.now ?? Date.now };
  const commits = createCommitQueue<Booking>(db, writeBookings);
  return {
    hold: (scopes, amount) => placeHold(s, scopes, amount),
    settle: (settlement) => commits.run({ settlements: [settlement] }),
    commit: (settlements, also) => commits.run({ settlements, ...(also ? { also } : {}) }),
    async release(holdId) {
      await transact(db, (trx) => releaseHold(trx, holdId));
    },
    balances: (keys) => readBalances(db, keys),
    startCall: (start) => startCall(s, start),
    bookStoppedCalls: (which) =>
      bookStoppedCalls(db, which === 'expired' ? { expiredBefore: s.now(), notOwner: s.owner } : { jobId: which.jobId, notOwner: s.owner }),
    renewHolds: () => renewHolds(s),
    releaseExpiredHolds: () => releaseExpiredHolds(s),
  };
}

/** What the books' operations share: the log database, this process's lease owner id and its clock. */
interface BooksState {
  db: LogDb;
  owner: string;
  now: () => number;
}

async function placeHold(s: BooksState, scopes: readonly ScopeLimit[], amount: number): Promise<{ id: string } | { refusedBy: string }> {
  const id = randomUUID();
  const keys = scopes.map((scope) => scope.key);
  try {
    await transact(s.db, async (trx) => {
      for (const scope of [...scopes].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        if (scope.capNano !== undefined && amount > scope.capNano) throw new Refused(scope.key);
        const args = { key: scope.key, amount, cap: scope.capNano ?? 0 };
        const r = await (scope.capNano === undefined ? HOLD_COUNTER : HOLD_CAPPED_COUNTER).run(trx, args);
        if (r.rows.length !== 1) throw new Refused(scope.key);
      }
      await trx
        .insertInto('budget_holds')
        .values({ id, owner: s.owner, amount, keys: JSON.stringify(keys), expires_at: s.now() + HOLD_LEASE_MS })
        .execute();
    });
  } catch (e) {
    if (e instanceof Refused) return { refusedBy: e.key };
    throw e;
  }
  return { id };
}

/** Deletes a hold and takes its amount off each of its counters (never below zero). */
async function releaseHold(trx: LogDb, id: string): Promise<void> {
  const h = await trx.deleteFrom('budget_holds').where('id', '=', id).returning(['amount', 'keys']).executeTakeFirst();
  if (!h) return;
  for (const key of inLockOrder(JSON.parse(h.keys) as string[])) {
    await trx
      .updateTable('budget_counters')
      .set({ held: sql`case when held > ${Number(h.amount)} then held - ${Number(h.amount)} else 0 end` })
      .where('key', '=', key)
      .execute();
  }
}

async function readBalances(db: LogDb, keys: readonly string[]): Promise<Balance[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('budget_counters')
    .select(['key', 'settled', 'held'])
    .where('key', 'in', [...keys])
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, { settled: Number(r.settled), held: Number(r.held) }]));
  return keys.map((k) => byKey.get(k) ?? { settled: 0, held: 0 });
}

async function startCall(s: BooksState, start: CallStart): Promise<string> {
  const id = randomUUID();
  const t = s.now();
  await insertCallStart(s.db, {
    ...start,
    lane: start.lane ?? null,
    route: start.route ?? null,
    id,
    owner: s.owner,
    started_at: t,
    expires_at: t + HOLD_LEASE_MS,
  });
  return id;
}

async function renewHolds(s: BooksState): Promise<void> {
  await s.db
    .updateTable('budget_holds')
    .set({ expires_at: s.now() + HOLD_LEASE_MS })
    .where('owner', '=', s.owner)
    .execute();
  await renewCallStarts(s.db, s.owner, s.now() + HOLD_LEASE_MS);
}

async function releaseExpiredHolds(s: BooksState): Promise<number> {
  const expired = await s.db.selectFrom('budget_holds').select('id').where('expires_at', '<', s.now()).execute();
  for (const { id } of expired) await transact(s.db, (trx) => releaseHold(trx, id));
  return expired.length;
}
