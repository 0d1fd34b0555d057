import type { Invocation } from '../src/chat/invocation.ts';
import type { HiveContext } from '../src/command/command.ts';
import type { RouteTally } from '../src/jobs/answer-book.ts';
import { formatUsd } from '../src/money/footer.ts';
import type { Bucket } from '../src/money/ledger.ts';
import { policyText } from '../src/settings/routing-policy.ts';
import { routingDefaultOf } from '../src/settings/settings.ts';
import { UserError } from '../src/shared/errors.ts';
import { requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive-verb.ts';
import { learnedSection } from './routing-learned.ts';
import { periodMs } from './usage-feedback.ts';
import { parseUsagePeriod } from './usage-period.ts';

const USAGE = '/hive routing [day|week|month|2026-11|2026-11-01..2026-11-15|reset]';

/** Words for each counted action, in the order a row lists them. */
const ACTION_WORDS: readonly [string, string][] = [
  ['deeper', 're-run deeper'],
  ['cheaper', 're-run cheaper'],
  ['cancel', 'cancelled'],
  ['helpful', 'helpful'],
  ['unhelpful', 'not helpful'],
];

/**
 * `/hive routing [period|reset]` (admins): whether routing served the team. Per lane and per rule,
 * the share of jobs, the spend, and what people did with the answers; the rules that send the most
 * money to the strong lanes first; and what this workspace's feedback taught the learned policy.
 */
export const routingVerb: HiveVerb = {
  name: 'routing',
  usage: USAGE,
  summary: 'Admins: jobs, spend and feedback per lane and routing rule; what feedback taught the learned policy.',
  async run(inv, ctx, args) {
    await requireAdmin(inv, 'see or reset the routing report');
    if (args.trim().toLowerCase() === 'reset') {
      await ctx.learned.reset(inv.workspaceId);
      return { text: 'The learned policy forgot this workspace’s feedback: it routes by the shipped model alone again.', visibility: 'private' };
    }
    const period = withUsage(() => parseUsagePeriod(args.trim() || 'month', ctx.now()));
    return { text: await report(inv, ctx, period), visibility: 'private' };
  },
};

async function report(inv: Invocation, ctx: HiveContext, p: { from: string; to: string }): Promise<string> {
  const { sinceMs, untilMs } = periodMs(p.from, p.to);
  const [usage, tallies, settings] = await Promise.all([
    ctx.ledger.summarize(inv.workspaceId, p.from, p.to),
    ctx.answers.book.routes(inv.workspaceId, sinceMs, untilMs),
    ctx.settings.get(inv.workspaceId),
  ]);
  const d = routingDefaultOf(settings, inv.channelId);
  const now = d ? ('lane' in d ? `${d.lane} lane` : policyText(d.policy)) + (d.scope === 'channel' ? ' (this channel)' : '') : 'rules';
  const head = `*Routing ${p.from} → ${p.to} (UTC)* · routed by: ${now}`;
  const jobs = tallies.reduce((n, t) => n + t.jobs, 0);
  if (jobs === 0 && usage.total.calls === 0) return `${head}\nNo jobs in this period.`;
  const lanes = groupBy(tallies, (t) => t.lane);
  const rules = groupBy(tallies, (t) => t.rule);
  const strongSpend = (rule: string) =>
    rules
      .get(rule)!
      .lane.split('/')
      .every((l) => l === 'cheap')
      ? 0
      : (usage.byRoute[rule]?.usd ?? 0);
  return [
    head,
    '*By lane*',
    ...[...lanes.entries()].map(([lane, t]) => row(lane, t, jobs, usage.byLane[lane], usage.total.usd)),
    ...spentOnly(usage.byLane, lanes, jobs, usage.total.usd),
    '*By rule* (most spend on the strong lanes first)',
    ...[...rules.keys()]
      .sort((a, b) => strongSpend(b) - strongSpend(a))
      .map((rule) => row(`${rule} → ${rules.get(rule)!.lane}`, rules.get(rule)!, jobs, usage.byRoute[rule], usage.total.usd)),
    ...spentOnly(usage.byRoute, rules, jobs, usage.total.usd),
    ...(await learnedSection(inv, ctx)),
  ].join('\n');
}

/** Lanes or rules with spend but no answered job in the period: the calls of jobs that moved on (cheap first) or failed. */
function spentOnly(spend: Record<string, Bucket>, shown: ReadonlyMap<string, RouteTally>, jobs: number, totalUsd: number): string[] {
  const keys = Object.keys(spend).filter((k) => !shown.has(k));
  return keys.map((k) => row(`${k} (calls of jobs that moved on or failed)`, { lane: '', rule: k, jobs: 0, actions: {} }, jobs, spend[k], totalUsd));
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

/** `• cheap: 120 jobs (60%) · $0.41 (5% of spend) · 3 re-run deeper · 10 helpful` */
function row(name: string, t: RouteTally, jobs: number, spend: Bucket | undefined, totalUsd: number): string {
  const share = jobs > 0 ? ` (${Math.round((t.jobs / jobs) * 100)}%)` : '';
  const usd = spend ? ` · ${formatUsd(spend.usd)}${totalUsd > 0 ? ` (${Math.round((spend.usd / totalUsd) * 100)}% of spend)` : ''}` : '';
  const acts = ACTION_WORDS.filter(([k]) => (t.actions[k] ?? 0) > 0).map(([k, w]) => ` · ${t.actions[k]} ${w}`);
  return `• ${name}: ${t.jobs} ${t.jobs === 1 ? 'job' : 'jobs'}${share}${usd}${acts.join('')}`;
}

function withUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message}\nUsage: ${USAGE}`, 'usage');
    throw e;
  }
}
