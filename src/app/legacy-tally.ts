import type { LedgerRow } from '../money/books.ts';

/** A bucket of an old day document: dollars as a float sum, the rest counts. */
export interface LegacyBucket {
  usd: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  unpriced: number;
}

/** What releases before the SQL log store kept per workspace and UTC day (namespace `ledger`, key `<workspace>|<day>`). */
export interface LegacyDayDoc {
  total: LegacyBucket;
  byModel: Record<string, LegacyBucket>;
  byVendor: Record<string, LegacyBucket>;
  byUser: Record<string, LegacyBucket>;
  byChannel: Record<string, LegacyBucket>;
}

/** Spend as integers (nano-dollars), so imported rows and old documents compare exactly. */
export interface Tally {
  nano: number;
  calls: number;
  input: number;
  output: number;
  unpriced: number;
}

/** Per workspace and day, what the imported evidence explained, in total and by model, user and channel. */
export interface DayTally {
  total: Tally;
  byModel: Map<string, Tally>;
  byUser: Map<string, Tally>;
  byChannel: Map<string, Tally>;
}

export const NANO = 1e9;
export const emptyTally = (): Tally => ({ nano: 0, calls: 0, input: 0, output: 0, unpriced: 0 });
export const emptyDayTally = (): DayTally => ({ total: emptyTally(), byModel: new Map(), byUser: new Map(), byChannel: new Map() });
export const dayKey = (workspaceId: string, at: number) => `${workspaceId}|${new Date(at).toISOString().slice(0, 10)}`;

/** A day document's bucket as integers (its dollars rounded to the nano-dollar). */
export function tallyOf(b: LegacyBucket | undefined): Tally {
  if (!b) return emptyTally();
  return { nano: Math.round(b.usd * NANO), calls: b.calls, input: b.inputTokens, output: b.outputTokens, unpriced: b.unpriced };
}

export function minus(a: Tally, b: Tally | undefined): Tally {
  if (!b) return { ...a };
  return { nano: a.nano - b.nano, calls: a.calls - b.calls, input: a.input - b.input, output: a.output - b.output, unpriced: a.unpriced - b.unpriced };
}

/** Adds one ledger row to a day's tallies, the way the old ledger added one call to its document. */
export function countRow(into: DayTally, r: LedgerRow): void {
  const x: Tally = { nano: r.cost_nano ?? 0, calls: 1, input: r.input_tokens, output: r.output_tokens, unpriced: r.cost_nano === null ? 1 : 0 };
  const add = (t: Tally) => {
    t.nano += x.nano;
    t.calls += x.calls;
    t.input += x.input;
    t.output += x.output;
    t.unpriced += x.unpriced;
  };
  const at = (m: Map<string, Tally>, k: string) => m.get(k) ?? m.set(k, emptyTally()).get(k)!;
  add(into.total);
  add(at(into.byModel, `${r.vendor}:${r.model}`));
  add(at(into.byUser, r.user_id));
  add(at(into.byChannel, r.channel_id));
}
