import type { Bucket, UsageSummary } from '../money/ledger.ts';
import type { RouteTally } from './answer-book-routes.ts';

/** Words for each counted action, in the order a row lists them. */
export const ROUTING_ACTIONS: readonly [string, string][] = [
  ['deeper', 're-run deeper'],
  ['cheaper', 're-run cheaper'],
  ['cancel', 'cancelled'],
  ['helpful', 'helpful'],
  ['unhelpful', 'not helpful'],
];

/** One lane or rule of the report: its answered jobs, its spend, and what people did with its answers. */
export interface RoutingRow {
  /** The lane, or `rule → lanes`; with no answered job, the key and why it has spend. */
  name: string;
  jobs: number;
  /** Of the period's answered jobs, 0..1. */
  share: number;
  spend?: Bucket;
  /** Of the period's spend, 0..1 (absent without spend). */
  spendShare?: number;
  actions: Record<string, number>;
}

/** Whether routing served a workspace over a period: rows per lane, and per rule with the most strong-lane spend first. */
export interface RoutingReport {
  jobs: number;
  lanes: RoutingRow[];
  rules: RoutingRow[];
}

/**
 * Joins the answered jobs and actions per lane and rule (answer book) with the spend per lane and
 * rule (ledger) into one report for `/hive routing` and the spend page. Lanes and rules with spend
 * but no answered job (cheap attempts of escalated jobs, failed jobs) get rows too, so spend adds up.
 */
export function routingReport(usage: UsageSummary, tallies: readonly RouteTally[]): RoutingReport {
  const jobs = tallies.reduce((n, t) => n + t.jobs, 0);
  const lanes = groupBy(tallies, (t) => t.lane);
  const rules = groupBy(tallies, (t) => t.rule);
  const total = usage.total.usd;
  const rowOf = (name: string, t: RouteTally, spend: Bucket | undefined): RoutingRow => ({
    name,
    jobs: t.jobs,
    share: jobs > 0 ? t.jobs / jobs : 0,
    actions: t.actions,
    ...(spend ? { spend, ...(total > 0 ? { spendShare: spend.usd / total } : {}) } : {}),
  });
  const spentOnly = (spend: Record<string, Bucket>, shown: ReadonlyMap<string, RouteTally>) =>
    Object.keys(spend)
      .filter((k) => !shown.has(k))
      .map((k) => rowOf(`${k} (calls of jobs that moved on or failed)`, { lane: '', rule: k, jobs: 0, actions: {} }, spend[k]));
  const strongSpend = (rule: string) =>
    rules
      .get(rule)!
      .lane.split('/')
      .every((l) => l === 'cheap')
      ? 0
      : (usage.byRoute[rule]?.usd ?? 0);
  return {
    jobs,
    lanes: [...[...lanes.entries()].map(([lane, t]) => rowOf(lane, t, usage.byLane[lane])), ...spentOnly(usage.byLane, lanes)],
    rules: [
      ...[...rules.keys()].sort((a, b) => strongSpend(b) - strongSpend(a)).map((r) => rowOf(`${r} → ${rules.get(r)!.lane}`, rules.get(r)!, usage.byRoute[r])),
      ...spentOnly(usage.byRoute, rules),
    ],
  };
}

/** Tallies summed under a key; a group's lane lists every lane its tallies took (`cheap/balanced`). */
function groupBy(tallies: readonly RouteTally[], key: (t: RouteTally) => string): Map<string, RouteTally> {
  const out = new Map<string, RouteTally>();
  for (const t of [...tallies].sort((a, b) => b.jobs - a.jobs)) {
    const g = out.get(key(t)) ?? { lane: t.lane, rule: t.rule, jobs: 0, actions: {} };
    if (!g.lane.split('/').includes(t.lane)) g.lane = `${g.lane}/${t.lane}`;
    g.jobs += t.jobs;
    for (const [k, n] of Object.entries(t.actions)) g.actions[k] = (g.actions[k] ?? 0) + n;
    out.set(key(t), g);
  }
  return out;
}
