import type Keyv from 'keyv';
import type { LedgerRow } from '../money/books.ts';
import { bookImportedRows } from './legacy-books.ts';
import { emptyDayTally, minus, tallyOf, type DayTally, type LegacyDayDoc, type Tally } from './legacy-tally.ts';
import type { LogDb } from '../store/log-db.ts';

const DAY_MS = 24 * 3600 * 1000;
/** Who an adjustment row is booked to when the old document cannot tell (several users or channels fell short). */
export const IMPORTED = 'imported';

export interface LegacyReconcileResult {
  days: number;
  adjustedDays: number;
  rows: number;
  nano: number;
  /** Days whose evidence explains more than their document recorded (the old ledger lost a write): evidence wins. */
  overExplained: number;
}

/** The deterministic evidence id of a day's adjustment rows: how a re-run knows they are booked. */
export const adjustmentId = (day: string) => `legacy-import:${day}`;

/**
 * Compares each old day document with what the imported evidence explained for that workspace and
 * day, and books what is missing (evidence deleted or expired) as adjustment rows, so the day's
 * dollars, calls and tokens equal the document's. Rows are split by model as the document's
 * breakdown shows; the user and channel are the document's when one alone fell short, else `imported`.
 * A day's rows and counters are one transaction, skipped when its adjustment id is already booked.
 */
export async function reconcileLegacyDays(o: {
  docs: Keyv<LegacyDayDoc>;
  db: LogDb;
  explained: Map<string, DayTally>;
  onItem?: () => void;
}): Promise<LegacyReconcileResult> {
  const out: LegacyReconcileResult = { days: 0, adjustedDays: 0, rows: 0, nano: 0, overExplained: 0 };
  if (!o.docs.iterator) return out;
  for await (const [key, doc] of o.docs.iterator(undefined) as AsyncIterable<[string, LegacyDayDoc | undefined]>) {
    const cut = key.lastIndexOf('|');
    const ws = key.slice(0, cut);
    const day = key.slice(cut + 1);
    if (!doc?.total || !/^\d{4}-\d{2}-\d{2}$/.test(day)) continue;
    out.days += 1;
    const explained = o.explained.get(key) ?? emptyDayTally();
    const short = minus(tallyOf(doc.total), explained.total);
    if (short.calls < 0 || short.nano < 0 || (short.calls === 0 && short.nano > 0)) out.overExplained += 1;
    if (short.calls <= 0) continue;
    const rows = adjustmentRows(ws, day, doc, explained, short);
    const booked = await o.db.transaction().execute(async (trx) => {
      const from = Date.parse(`${day}T00:00:00Z`);
      const id = adjustmentId(day);
      const seen = await trx
        .selectFrom('ledger')
        .select('id')
        .where('workspace_id', '=', ws)
        .where('at', '>=', from)
        .where('at', '<', from + DAY_MS)
        .where('evidence_id', '=', id)
        .executeTakeFirst();
      if (seen) return false;
      await bookImportedRows(trx, rows);
      o.onItem?.();
      return true;
    });
    if (!booked) continue;
    out.adjustedDays += 1;
    out.rows += rows.length;
    out.nano += rows.reduce((n, r) => n + (r.cost_nano ?? 0), 0);
  }
  return out;
}

interface Group {
  vendor: string;
  model: string;
  short: Tally;
}

/** The rows that make up a day's shortfall: one per missing call, dated the day's last millisecond. */
function adjustmentRows(ws: string, day: string, doc: LegacyDayDoc, explained: DayTally, short: Tally): LedgerRow[] {
  const groups = byModel(doc, explained, short);
  const user = soleShort(doc.byUser, explained.byUser) ?? IMPORTED;
  const channel = soleShort(doc.byChannel, explained.byChannel) ?? IMPORTED;
  const at = Date.parse(`${day}T00:00:00Z`) + DAY_MS - 1;
  const rows = groups.flatMap((g) => split(g.short).map((t) => ({ ...t, vendor: g.vendor, model: g.model })));
  // What rounding left between the per-model figures and the day's total goes to the first priced row.
  const first = rows.find((r) => r.nano !== null) ?? rows[0]!;
  const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
  const residual = short.nano - sum((r) => r.nano ?? 0);
  if (residual !== 0) first.nano = (first.nano ?? 0) + residual;
  first.input += short.input - sum((r) => r.input);
  first.output += short.output - sum((r) => r.output);
  return rows.map((r) => ({
    at,
    workspace_id: ws,
    channel_id: channel,
    user_id: user,
    vendor: r.vendor,
    model: r.model,
    input_tokens: r.input,
    output_tokens: r.output,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    cost_nano: r.nano,
    evidence_id: adjustmentId(day),
    estimated: 0,
  }));
}

/** The shortfall by model when the document's breakdown adds up to it; else one `imported` group. */
function byModel(doc: LegacyDayDoc, explained: DayTally, short: Tally): Group[] {
  const groups: Group[] = [];
  for (const [name, bucket] of Object.entries(doc.byModel ?? {})) {
    const s = minus(tallyOf(bucket), explained.byModel.get(name));
    if (s.calls < 0 || s.nano < 0 || s.input < 0 || s.output < 0 || s.unpriced < 0 || s.unpriced > s.calls)
      return [{ vendor: IMPORTED, model: IMPORTED, short }];
    const cut = name.indexOf(':');
    if (s.calls > 0) groups.push({ vendor: cut > 0 ? name.slice(0, cut) : IMPORTED, model: cut > 0 ? name.slice(cut + 1) : name, short: s });
  }
  const calls = groups.reduce((n, g) => n + g.short.calls, 0);
  return calls === short.calls ? groups : [{ vendor: IMPORTED, model: IMPORTED, short }];
}

/** The one user (or channel) whose document figures exceed what evidence explained, if only one does. */
function soleShort(doc: Record<string, { calls: number; usd: number }> | undefined, explained: Map<string, Tally>): string | undefined {
  const short = Object.entries(doc ?? {}).filter(([name, b]) => {
    const s = minus(tallyOf({ inputTokens: 0, outputTokens: 0, unpriced: 0, ...b }), explained.get(name));
    return s.calls > 0 || s.nano > 0;
  });
  return short.length === 1 ? short[0]![0] : undefined;
}

/** A group's shortfall as that many calls: unpriced ones without dollars, the rest sharing dollars and tokens. */
function split(t: Tally): { nano: number | null; input: number; output: number }[] {
  const unpriced = Math.max(0, Math.min(t.unpriced, t.calls));
  const priced = t.calls - unpriced;
  const share = (total: number, n: number, i: number) => Math.floor(total / n) + (i === 0 ? total % n : 0);
  return Array.from({ length: t.calls }, (_, i) => ({
    nano: i < priced ? share(t.nano, priced, i) : null,
    input: share(t.input, t.calls, i),
    output: share(t.output, t.calls, i),
  }));
}
