import type { Invocation } from '../src/chat/invocation.ts';
import type { HiveContext } from '../src/command/command.ts';
import { ROUTING_ACTIONS, routingReport, type RoutingRow } from '../src/jobs/routing-report.ts';
import { formatUsd } from '../src/money/footer.ts';
import { policyText } from '../src/settings/routing-policy.ts';
import { routingDefaultOf } from '../src/settings/settings.ts';
import { requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive-verb.ts';
import { learnedSection } from './routing-learned.ts';
import { periodMs } from './usage-feedback.ts';
import { parsePeriodFor } from './usage-period.ts';

const USAGE = '/hive routing [day|week|month|2026-11|2026-11-01..2026-11-15|reset]';

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
    const period = parsePeriodFor(args.trim() || 'month', ctx.now(), USAGE);
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
  const r = routingReport(usage, tallies);
  if (r.jobs === 0 && usage.total.calls === 0) return `${head}\nNo jobs in this period.`;
  return [
    head,
    '*By lane*',
    ...r.lanes.map(bullet),
    '*By rule* (most spend on the strong lanes first)',
    ...r.rules.map(bullet),
    ...(await learnedSection(inv, ctx)),
  ].join('\n');
}

/** `• cheap: 120 jobs (60%) · $0.41 (5% of spend) · 3 re-run deeper · 10 helpful` */
function bullet(r: RoutingRow): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const usd = r.spend ? ` · ${formatUsd(r.spend.usd)}${r.spendShare !== undefined ? ` (${pct(r.spendShare)} of spend)` : ''}` : '';
  const acts = ROUTING_ACTIONS.filter(([k]) => (r.actions[k] ?? 0) > 0).map(([k, w]) => ` · ${r.actions[k]} ${w}`);
  return `• ${r.name}: ${r.jobs} ${r.jobs === 1 ? 'job' : 'jobs'} (${pct(r.share)})${usd}${acts.join('')}`;
}
