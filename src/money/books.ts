import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';
import { param, queryTemplate, type QueryTemplate } from '../store/compiled-query.ts';
import { createCommitQueue } from './commit-queue.ts';

/** One budget scope a hold is checked against; no cap means it is only counted. */
export interface ScopeLimit {
  key: string;
  capNano?: number;
}

/** A ledger row as the books write it, with the job's evidence id. */
export type LedgerRow = Omit<LogTables['ledger'], 'id'>;

/** What one finished call settles: its cost into every scope, its hold out, its ledger row in. */
export interface Settlement {
  holdId?: string;
  keys: readonly string[];
  costNano: number;
  /** Absent for a call that reported no usage (nothing was billed). */
  row?: LedgerRow;
}

/** More log writes that must commit with a job's settlements, e.g. its evidence record. */
export type LogWrite = (trx: LogDb) => Promise<void>;

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
  /** Extends this process's holds (a heartbeat), so only a dead process's holds expire. */
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

export function createBooks(db: LogDb, opts: { owner?: string; now?: () => number } = {}): Books {
  const owner = opts.owner ?? randomUUID();
  const now = opts.now ?? Date.now;
  const commits = createCommitQueue(db);
  const ensure = (trx: LogDb, keys: readonly string[]) =>
    trx
      .insertInto('budget_counters')
      .values(keys.map((key) => ({ key, settled: 0, held: 0 })))
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  const releaseHold = async (trx: LogDb, id: string) => {
    const h = await trx.deleteFrom('budget_holds').where('id', '=', id).returning(['amount', 'keys']).executeTakeFirst();
    if (!h) return;
    const keys = JSON.parse(h.keys) as string[];
    await trx
      .updateTable('budget_counters')
      .set({ held: sql`max(0, held - ${Number(h.amount)})` })
      .where('key', 'in', keys)
      .execute();
  };
  return {
    async hold(scopes, amount) {
      const id = randomUUID();
      const keys = scopes.map((s) => s.key);
      try {
        await db.transaction().execute(async (trx) => {
          await ensure(trx, keys);
          for (const s of scopes) {
            const cap = s.capNano ?? null;
            const r = await trx
              .updateTable('budget_counters')
              .set({ held: sql`held + ${amount}` })
              .where('key', '=', s.key)
              .where(sql<boolean>`(${cap} IS NULL OR settled + held + ${amount} <= ${cap})`)
              .executeTakeFirst();
            if (Number(r.numUpdatedRows) !== 1) throw new Refused(s.key);
          }
          await trx
            .insertInto('budget_holds')
            .values({ id, owner, amount, keys: JSON.stringify(keys), expires_at: now() + HOLD_LEASE_MS })
            .execute();
        });
      } catch (e) {
        if (e instanceof Refused) return { refusedBy: e.key };
        throw e;
      }
      return { id };
    },
    settle(s) {
      return this.commit([s]);
    },
    async commit(settlements, also) {
      await commits.run(async (trx) => {
        for (const s of settlements) {
          if (s.row) await INSERT_LEDGER.run(trx, s.row);
          if (s.holdId) await releaseHold(trx, s.holdId);
          if (s.costNano !== 0 && s.keys.length > 0) await addSettled(trx, s.keys, s.costNano);
        }
        if (also) await also(trx);
      });
    },
    async release(holdId) {
      await db.transaction().execute((trx) => releaseHold(trx, holdId));
    },
    async balances(keys) {
      if (keys.length === 0) return [];
      const rows = await db
        .selectFrom('budget_counters')
        .select(['key', 'settled', 'held'])
        .where('key', 'in', [...keys])
        .execute();
      const byKey = new Map(rows.map((r) => [r.key, { settled: Number(r.settled), held: Number(r.held) }]));
      return keys.map((k) => byKey.get(k) ?? { settled: 0, held: 0 });
    },
    async renewHolds() {
      await db
        .updateTable('budget_holds')
        .set({ expires_at: now() + HOLD_LEASE_MS })
        .where('owner', '=', owner)
        .execute();
    },
    async releaseExpiredHolds() {
      const expired = await db.selectFrom('budget_holds').select('id').where('expires_at', '<', now()).execute();
      for (const { id } of expired) await db.transaction().execute((trx) => releaseHold(trx, id));
      return expired.length;
    },
  };
}

const LEDGER_COLUMNS = [
  'at',
  'workspace_id',
  'channel_id',
  'user_id',
  'vendor',
  'model',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_nano',
  'evidence_id',
] as const satisfies readonly (keyof LedgerRow)[];

/** The ledger insert, compiled once per database. */
const INSERT_LEDGER = queryTemplate<LogTables, LedgerRow>((db) =>
  db.insertInto('ledger').values(Object.fromEntries(LEDGER_COLUMNS.map((c) => [c, param(c)])) as unknown as LedgerRow),
);

/** Upserts that add settled spend to 1, 2, 3… counters in one statement, compiled once per size. */
const ADD_SETTLED = new Map<number, QueryTemplate<LogTables, Record<string, unknown>>>();

function addSettled(trx: LogDb, scopes: readonly string[], costNano: number) {
  const keys = [...new Set(scopes)];
  let t = ADD_SETTLED.get(keys.length);
  if (!t) {
    const n = keys.length;
    t = queryTemplate<LogTables, Record<string, unknown>>((db) =>
      db
        .insertInto('budget_counters')
        .values(Array.from({ length: n }, (_, i) => ({ key: param<string>(`k${i}`), settled: param<number>('cost'), held: 0 })))
        .onConflict((oc) => oc.column('key').doUpdateSet({ settled: sql`budget_counters.settled + excluded.settled` })),
    );
    ADD_SETTLED.set(n, t);
  }
  return t.run(trx, { cost: costNano, ...Object.fromEntries(keys.map((k, i) => [`k${i}`, k])) });
}
