import { UNRECORDED, type RollupRow } from './ledger-rollup.ts';
import { NANO } from './ledger-records.ts';

/** What a set of calls spent and used: one line of a usage breakdown. */
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

/** A period's spend in total and broken down every way `/hive usage` and the spend page show it. */
export interface UsageSummary {
  from: string;
  to: string;
  total: Bucket;
  byModel: Record<string, Bucket>;
  byVendor: Record<string, Bucket>;
  byUser: Record<string, Bucket>;
  byChannel: Record<string, Bucket>;
  /** Per lane the jobs were routed to; calls booked before lanes were recorded are under `unrecorded`. */
  byLane: Record<string, Bucket>;
  /** Per routing rule (`auto: code`, `--deep`, `consensus`, `digest`); older calls likewise `unrecorded`. */
  byRoute: Record<string, Bucket>;
}

/** The calls of open days summed per vendor, model, user, channel, lane and route. */
export interface GroupRow extends Amounts {
  vendor: string;
  model: string;
  user_id: string;
  channel_id: string;
  lane: string | null;
  route: string | null;
}

/** What a group of calls or a daily total adds to a bucket. */
interface Amounts {
  calls: number;
  nano: number | null;
  input: number;
  output: number;
  unpriced: number;
  stopped: number;
}

const emptyBucket = (): Bucket => ({ usd: 0, calls: 0, inputTokens: 0, outputTokens: 0, unpriced: 0, stopped: 0 });

/** A summary being filled, with dollars kept as integer nano-dollars until `finish`. */
export interface Filling extends UsageSummary {
  nano: Map<Bucket, number>;
}

/** A summary of nothing yet, to fold daily totals and calls into. */
export const emptySummary = (from: string, to: string): Filling => ({
  from,
  to,
  total: emptyBucket(),
  byModel: {},
  byVendor: {},
  byUser: {},
  byChannel: {},
  byLane: {},
  byRoute: {},
  nano: new Map(),
});

function addTo(s: Filling, b: Bucket, r: Amounts): void {
  s.nano.set(b, (s.nano.get(b) ?? 0) + Number(r.nano ?? 0));
  b.calls += Number(r.calls);
  b.inputTokens += Number(r.input);
  b.outputTokens += Number(r.output);
  b.unpriced += Number(r.unpriced);
  b.stopped += Number(r.stopped);
}

const into = (m: Record<string, Bucket>, k: string) => (m[k] ??= emptyBucket());

/** Adds calls grouped by vendor, model, user, channel, lane and route into every breakdown. */
export function foldCalls(s: Filling, rows: GroupRow[]): void {
  for (const r of rows) {
    addTo(s, s.total, r);
    addTo(s, into(s.byModel, `${r.vendor}:${r.model}`), r);
    addTo(s, into(s.byVendor, r.vendor), r);
    addTo(s, into(s.byUser, r.user_id), r);
    addTo(s, into(s.byChannel, r.channel_id), r);
    addTo(s, into(s.byLane, r.lane ?? UNRECORDED), r);
    addTo(s, into(s.byRoute, r.route ?? UNRECORDED), r);
  }
}

/** Adds daily totals: each dimension's rows count every call once, the model rows give total and vendor. */
export function foldRollups(s: Filling, rows: RollupRow[]): void {
  const byDim = { user: s.byUser, channel: s.byChannel, lane: s.byLane, route: s.byRoute };
  for (const r of rows) {
    const a: Amounts = { calls: r.calls, nano: r.cost_nano, input: r.input_tokens, output: r.output_tokens, unpriced: r.unpriced, stopped: r.stopped };
    if (r.dim === 'model') {
      addTo(s, s.total, a);
      addTo(s, into(s.byModel, `${r.k1}:${r.k2}`), a);
      addTo(s, into(s.byVendor, r.k1), a);
    } else addTo(s, into(byDim[r.dim], r.k1), a);
  }
}

/** Turns the nano-dollars kept while filling into each bucket's dollars. */
export function finish(s: Filling): UsageSummary {
  const { nano, ...summary } = s;
  for (const [b, n] of nano) b.usd = n / NANO;
  return summary;
}
