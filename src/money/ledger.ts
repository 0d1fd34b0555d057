import { sql } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import { createLedgerRollups, DAY_MS, type VendorDay } from './ledger-rollup.ts';
import { ledgerRecords, NANO, type LedgerRecord } from './ledger-records.ts';
import { emptySummary, finish, foldCalls, foldRollups, type GroupRow, type UsageSummary } from './ledger-summary.ts';

export type { LedgerRecord } from './ledger-records.ts';
export type { Bucket, UsageSummary } from './ledger-summary.ts';

/** One UTC day's spend per vendor, in dollars: what a chart of a period draws. */
export interface DaySpend {
  day: string;
  byVendor: Record<string, number>;
}

/** Spend per workspace over a range of UTC days, from the ledger rows the books wrote. */
export interface Ledger {
  summarize(workspaceId: string, fromDay: string, toDay: string): Promise<UsageSummary>;
  /**
   * Every day of the range (none left out, an empty one too) with its dollars per vendor, in one
   * grouped read: a month's chart costs two queries, not one summary per day.
   */
  daily(workspaceId: string, fromDay: string, toDay: string): Promise<DaySpend[]>;
  /** Call after adding rows to a workspace's past days (an import): its daily totals are rebuilt. */
  invalidateTotals(workspaceId: string): Promise<void>;
  /** Every call of the range, oldest first, streamed (for finance exports of any size). */
  rows(workspaceId: string, fromDay: string, toDay: string): AsyncIterable<LedgerRecord>;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Creates the ledger reader. A summary reads closed days from their daily totals (built once, on
 * first need) and only the calls of the last day or two themselves, so a month costs the same with
 * a million rows as with a thousand.
 */
export function createLedger(db: LogDb, now: () => number = Date.now): Ledger {
  const rollups = createLedgerRollups(db);
  /** The range as day numbers, split where the closed days (read from totals) end. */
  const split = (fromDay: string, toDay: string) => {
    const [first, last] = [dayNumber(fromDay), dayNumber(toDay)];
    const closed = rollups.closedThrough(now());
    return { first, last, closedTo: Math.min(last, closed), openFrom: Math.max(first, closed + 1) };
  };
  return {
    invalidateTotals: (ws) => rollups.invalidate(ws),
    async summarize(ws, fromDay, toDay) {
      const r = split(fromDay, toDay);
      const summary = emptySummary(fromDay, toDay);
      foldRollups(summary, await rollups.read(ws, r.first, r.closedTo));
      if (r.openFrom <= r.last) foldCalls(summary, await openDayGroups(db, ws, r.openFrom * DAY_MS, (r.last + 1) * DAY_MS));
      return finish(summary);
    },
    async daily(ws, fromDay, toDay) {
      const r = split(fromDay, toDay);
      const rows = await rollups.vendorDays(ws, r.first, r.closedTo);
      if (r.openFrom <= r.last) rows.push(...(await openVendorDays(db, ws, r.openFrom * DAY_MS, (r.last + 1) * DAY_MS)));
      return spendByDay(r.first, r.last, rows);
    },
    rows: (ws, fromDay, toDay) => ledgerRecords(db, ws, fromDay, toDay),
  };
}

/** The calls of days not yet rolled up, summed per vendor, model, user, channel, lane and route. */
async function openDayGroups(db: LogDb, ws: string, from: number, to: number): Promise<GroupRow[]> {
  return (await db
    .selectFrom('ledger')
    .select(['vendor', 'model', 'user_id', 'channel_id', 'lane', 'route'])
    .select([
      sql<number>`count(*)`.as('calls'),
      sql<number | null>`sum(cost_nano)`.as('nano'),
      sql<number>`sum(input_tokens)`.as('input'),
      sql<number>`sum(output_tokens)`.as('output'),
      sql<number>`sum(case when cost_nano is null then 1 else 0 end)`.as('unpriced'),
      sql<number>`sum(stopped)`.as('stopped'),
    ])
    .where('workspace_id', '=', ws)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy(['vendor', 'model', 'user_id', 'channel_id', 'lane', 'route'])
    .execute()) as GroupRow[];
}

/** The calls of days not yet rolled up, their nano-dollars summed per day and vendor. */
async function openVendorDays(db: LogDb, ws: string, from: number, to: number): Promise<VendorDay[]> {
  const day = sql<number>`at / ${sql.lit(DAY_MS)}`;
  const rows = await db
    .selectFrom('ledger')
    .select([day.as('day'), 'vendor', sql<number | null>`sum(cost_nano)`.as('nano')])
    .where('workspace_id', '=', ws)
    .where('at', '>=', from)
    .where('at', '<', to)
    .groupBy([day, 'vendor'])
    .execute();
  return rows.map((r) => ({ day: Math.floor(Number(r.day)), vendor: r.vendor, nano: Number(r.nano ?? 0) }));
}

/** Every day of `first..last` with its dollars per vendor (a day without calls has none). */
function spendByDay(first: number, last: number, rows: readonly VendorDay[]): DaySpend[] {
  const nano = new Map<number, Map<string, number>>();
  for (const r of rows) {
    const day = nano.get(r.day) ?? nano.set(r.day, new Map()).get(r.day)!;
    day.set(r.vendor, (day.get(r.vendor) ?? 0) + r.nano);
  }
  return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => ({
    day: dayOf(new Date((first + i) * DAY_MS)),
    byVendor: Object.fromEntries([...(nano.get(first + i) ?? [])].map(([v, n]) => [v, n / NANO])),
  }));
}

/** Days since the epoch of a `YYYY-MM-DD` UTC day. */
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

/** The UTC day range of a named period ending today. */
export function periodRange(period: 'day' | 'week' | 'month', now: Date): { from: string; to: string } {
  const to = dayOf(now);
  if (period === 'day') return { from: to, to };
  if (period === 'week') return { from: dayOf(new Date(now.getTime() - 6 * DAY_MS)), to };
  return { from: `${to.slice(0, 7)}-01`, to };
}
