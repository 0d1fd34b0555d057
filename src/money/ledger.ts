import { sql } from 'kysely';
import type { LogDb } from '../store/log-db.ts';
import { createLedgerRollups, DAY_MS, type RollupRow } from './ledger-rollup.ts';
import { ledgerRecords, NANO, type LedgerRecord } from './ledger-records.ts';

export type { LedgerRecord } from './ledger-records.ts';

export interface Bucket {
  usd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Calls whose cost is unknown (no price); their dollars are missing from `usd`. */
  unpriced: number;
  /** Calls booked at their worst case because the process running them stopped mid-call. */
  stopped: number;
}

export interface UsageSummary {
  from: string;
  to: string;
  total: Bucket;
  byModel: Record<string, Bucket>;
  byVendor: Record<string, Bucket>;
  byUser: Record<string, Bucket>;
  byChannel: Record<string, Bucket>;
}

/** Spend per workspace over a range of UTC days, from the ledger rows the books wrote. */
export interface Ledger {
  summarize(workspaceId: string, fromDay: string, toDay: string): Promise<UsageSummary>;
  /** Call after adding rows to a workspace's past days (an import): its daily totals are rebuilt. */
  invalidateTotals(workspaceId: string): Promise<void>;
  /** Every call of the range, oldest first, streamed (for finance exports of any size). */
  rows(workspaceId: string, fromDay: string, toDay: string): AsyncIterable<LedgerRecord>;
}

export const dayOf = (d: Date) => d.toISOString().slice(0, 10);

const emptyBucket = (): Bucket => ({ usd: 0, calls: 0, inputTokens: 0, outputTokens: 0, unpriced: 0, stopped: 0 });

interface GroupRow {
  vendor: string;
  model: string;
  user_id: string;
  channel_id: string;
  calls: number;
  nano: number | null;
  input: number;
  output: number;
  unpriced: number;
  stopped: number;
}

/**
 * Creates the ledger reader. A summary reads closed days from their daily totals (built once, on
 * first need) and only the calls of the last day or two themselves, so a month costs the same with
 * a million rows as with a thousand.
 */
export function createLedger(db: LogDb, now: () => number = Date.now): Ledger {
  const rollups = createLedgerRollups(db);
  return {
    invalidateTotals: (ws) => rollups.invalidate(ws),
    async summarize(ws, fromDay, toDay) {
      const [first, last] = [dayNumber(fromDay), dayNumber(toDay)];
      const closed = rollups.closedThrough(now());
      const summary = emptySummary(fromDay, toDay);
      foldRollups(summary, await rollups.read(ws, first, Math.min(last, closed)));
      const openFrom = Math.max(first, closed + 1);
      if (openFrom <= last) foldCalls(summary, await openDayGroups(db, ws, openFrom * DAY_MS, (last + 1) * DAY_MS));
      return finish(summary);
    },
    rows: (ws, fromDay, toDay) => ledgerRecords(db, ws, fromDay, toDay),
  };
}

/** The calls of days not yet rolled up, summed per vendor, model, user and channel. */
async function openDayGroups(db: LogDb, ws: string, from: number, to: number): Promise<GroupRow[]> {
  return (await db
    .selectFrom('ledger')
    .select(['vendor', 'model', 'user_id', 'channel_id'])
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
    .groupBy(['vendor', 'model', 'user_id', 'channel_id'])
    .execute()) as GroupRow[];
}

/** A summary being filled, with dollars kept as integer nano-dollars until `finish`. */
interface Filling extends UsageSummary {
  nano: Map<Bucket, number>;
}

const emptySummary = (from: string, to: string): Filling => ({
  from,
  to,
  total: emptyBucket(),
  byModel: {},
  byVendor: {},
  byUser: {},
  byChannel: {},
  nano: new Map(),
});

interface Amounts {
  calls: number;
  nano: number | null;
  input: number;
  output: number;
  unpriced: number;
  stopped: number;
}

function addTo(s: Filling, b: Bucket, r: Amounts): void {
  s.nano.set(b, (s.nano.get(b) ?? 0) + Number(r.nano ?? 0));
  b.calls += Number(r.calls);
  b.inputTokens += Number(r.input);
  b.outputTokens += Number(r.output);
  b.unpriced += Number(r.unpriced);
  b.stopped += Number(r.stopped);
}

const into = (m: Record<string, Bucket>, k: string) => (m[k] ??= emptyBucket());

/** Adds calls grouped by vendor, model, user and channel into every breakdown. */
function foldCalls(s: Filling, rows: GroupRow[]): void {
  for (const r of rows) {
    addTo(s, s.total, r);
    addTo(s, into(s.byModel, `${r.vendor}:${r.model}`), r);
    addTo(s, into(s.byVendor, r.vendor), r);
    addTo(s, into(s.byUser, r.user_id), r);
    addTo(s, into(s.byChannel, r.channel_id), r);
  }
}

/** Adds daily totals: each dimension's rows count every call once, the model rows give total and vendor. */
function foldRollups(s: Filling, rows: RollupRow[]): void {
  for (const r of rows) {
    const a: Amounts = { calls: r.calls, nano: r.cost_nano, input: r.input_tokens, output: r.output_tokens, unpriced: r.unpriced, stopped: r.stopped };
    if (r.dim === 'model') {
      addTo(s, s.total, a);
      addTo(s, into(s.byModel, `${r.k1}:${r.k2}`), a);
      addTo(s, into(s.byVendor, r.k1), a);
    } else addTo(s, into(r.dim === 'user' ? s.byUser : s.byChannel, r.k1), a);
  }
}

function finish(s: Filling): UsageSummary {
  const { nano, ...summary } = s;
  for (const [b, n] of nano) b.usd = n / NANO;
  return summary;
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
