import { sql, type RawBuilder } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import type { LogTables } from '../store/log-schema.ts';

export const DAY_MS = 86_400_000;

/** The lane and rule of a call booked before the ledger recorded them. */
export const UNRECORDED = 'unrecorded';

/**
 * How long after a UTC day ends it is taken as closed. A call is booked at its start time when it
 * lands, so a day's rows keep arriving until its last calls (bounded by the vendor timeout and the
 * retries) have finished; two hours is far beyond that.
 */
export const ROLLUP_MARGIN_MS = 2 * 3600_000;

/** Days rolled up per transaction, so a first summary over years never holds the write lock long. */
const DAYS_PER_BUILD = 31;

export type RollupRow = Pick<LogTables['ledger_rollup'], 'dim' | 'k1' | 'k2' | 'calls' | 'cost_nano' | 'input_tokens' | 'output_tokens' | 'unpriced'> & {
  stopped: number;
};

/** One vendor's spend on one day (days since the epoch), in nano-dollars. */
export interface VendorDay {
  day: number;
  vendor: string;
  nano: number;
}

/** Daily totals of closed days, built on first need and read instead of the calls themselves. */
export interface LedgerRollups {
  /** The last day (days since the epoch) that counts as closed at `now`. */
  closedThrough(now: number): number;
  /** Totals per dimension of the closed days `fromDay..toDay`, building the days not yet rolled up. */
  read(ws: string, fromDay: number, toDay: number): Promise<RollupRow[]>;
  /** Nano-dollars per closed day and vendor of `fromDay..toDay` (for a chart), building the days not yet rolled up. */
  vendorDays(ws: string, fromDay: number, toDay: number): Promise<VendorDay[]>;
  /** Forgets a workspace's totals after rows were added to its past days (an import), so they are rebuilt. */
  invalidate(ws: string): Promise<void>;
}

const dayOfAt = sql<number>`at / ${sql.lit(DAY_MS)}`;

export function createLedgerRollups(db: LogDb): LedgerRollups {
  return {
    closedThrough: (now) => Math.floor((now - ROLLUP_MARGIN_MS) / DAY_MS) - 1,
    async read(ws, fromDay, toDay) {
      if (fromDay > toDay) return [];
      await build(db, ws, await missingDays(db, ws, fromDay, toDay));
      return db
        .selectFrom('ledger_rollup')
        .select(['dim', 'k1', 'k2', 'calls', 'cost_nano', 'input_tokens', 'output_tokens', 'unpriced', 'stopped'])
        .where('workspace_id', '=', ws)
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .execute();
    },
    async vendorDays(ws, fromDay, toDay) {
      if (fromDay > toDay) return [];
      await build(db, ws, await missingDays(db, ws, fromDay, toDay));
      const rows = await db
        .selectFrom('ledger_rollup')
        .select(['day', sql<string>`k1`.as('vendor'), sql<number>`sum(cost_nano)`.as('nano')])
        .where('workspace_id', '=', ws)
        .where('dim', '=', 'model')
        .where('day', '>=', fromDay)
        .where('day', '<=', toDay)
        .groupBy(['day', 'k1'])
        .execute();
      return rows.map((r) => ({ day: Number(r.day), vendor: r.vendor, nano: Number(r.nano) }));
    },
    async invalidate(ws) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('ledger_rollup_days').where('workspace_id', '=', ws).execute();
        await trx.deleteFrom('ledger_rollup').where('workspace_id', '=', ws).execute();
      });
    },
  };
}

/** Forgets every workspace's daily totals (rows were added to past days, e.g. by an import); they are rebuilt on next read. */
export async function forgetAllTotals(db: LogDb): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('ledger_rollup_days').execute();
    await trx.deleteFrom('ledger_rollup').execute();
  });
}

async function missingDays(db: LogDb, ws: string, fromDay: number, toDay: number): Promise<number[]> {
  const rows = await db
    .selectFrom('ledger_rollup_days')
    .select('day')
    .where('workspace_id', '=', ws)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .execute();
  const have = new Set(rows.map((r) => Number(r.day)));
  const missing: number[] = [];
  for (let d = fromDay; d <= toDay; d++) if (!have.has(d)) missing.push(d);
  return missing;
}

/** Rolls up the given days in runs of consecutive days; concurrent builders write the same totals, so conflicts are skipped. */
async function build(db: LogDb, ws: string, days: number[]): Promise<void> {
  for (const run of runs(days)) {
    const [first, last] = [run[0]!, run[run.length - 1]!];
    await db.transaction().execute(async (trx) => {
      for (const dim of ['model', 'user', 'channel', 'lane', 'route'] as const) await rollDim(trx, ws, dim, first, last);
      await trx
        .insertInto('ledger_rollup_days')
        .values(run.map((day) => ({ workspace_id: ws, day })))
        .onConflict((oc) => oc.columns(['workspace_id', 'day']).doNothing())
        .execute();
    });
  }
}

/** What each dimension's totals are keyed by; a row booked before lanes were recorded counts as `unrecorded`. */
const DIM_KEY: Record<RollupRow['dim'], RawBuilder<string>> = {
  model: sql`vendor`,
  user: sql`user_id`,
  channel: sql`channel_id`,
  lane: sql`coalesce(lane, ${sql.lit(UNRECORDED)})`,
  route: sql`coalesce(route, ${sql.lit(UNRECORDED)})`,
};

async function rollDim(trx: LogDb, ws: string, dim: RollupRow['dim'], first: number, last: number): Promise<void> {
  const k1 = DIM_KEY[dim];
  const k2: RawBuilder<string> = dim === 'model' ? sql`model` : sql`''`;
  const totals = trx
    .selectFrom('ledger')
    .select([
      sql<string>`cast(${ws} as text)`.as('workspace_id'),
      dayOfAt.as('day'),
      sql.lit(dim).as('dim'),
      k1.as('k1'),
      k2.as('k2'),
      sql<number>`count(*)`.as('calls'),
      sql<number>`coalesce(sum(cost_nano), 0)`.as('cost_nano'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number>`sum(case when cost_nano is null then 1 else 0 end)`.as('unpriced'),
      sql<number>`sum(stopped)`.as('stopped'),
    ])
    .where('workspace_id', '=', ws)
    .where('at', '>=', first * DAY_MS)
    .where('at', '<', (last + 1) * DAY_MS)
    .groupBy(dim === 'model' ? [dayOfAt, k1, k2] : [dayOfAt, k1]);
  await trx
    .insertInto('ledger_rollup')
    .columns(['workspace_id', 'day', 'dim', 'k1', 'k2', 'calls', 'cost_nano', 'input_tokens', 'output_tokens', 'unpriced', 'stopped'])
    .expression(totals)
    .onConflict((oc) => oc.columns(['workspace_id', 'day', 'dim', 'k1', 'k2']).doNothing())
    .execute();
}

/** Splits sorted days into runs of consecutive days, each at most DAYS_PER_BUILD long. */
function runs(days: number[]): number[][] {
  const out: number[][] = [];
  for (const d of days) {
    const cur = out[out.length - 1];
    if (cur && cur[cur.length - 1] === d - 1 && cur.length < DAYS_PER_BUILD) cur.push(d);
    else out.push([d]);
  }
  return out;
}
