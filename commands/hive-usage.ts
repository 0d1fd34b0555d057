import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/errors.ts';
import { formatUsd } from '../src/money/footer.ts';
import { periodRange, type Bucket, type UsageSummary } from '../src/money/ledger.ts';
import type { HiveVerb } from './hive-verb.ts';

const PERIODS = ['day', 'week', 'month'] as const;
type Period = (typeof PERIODS)[number];

/** `/hive usage [day|week|month]`: spend by model, vendor, user and channel. */
export const usageVerb: HiveVerb = {
  name: 'usage',
  usage: '/hive usage [day|week|month]',
  summary: 'Spend by model, vendor, user and channel.',
  async run(inv, ctx, args) {
    const period = (args.trim().toLowerCase() || 'month') as Period;
    if (!PERIODS.includes(period))
      throw new UserError(`"${shown(args.trim())}" is not a period: use day, week or month.\nUsage: /hive usage [day|week|month]`, 'usage');
    const { from, to } = periodRange(period, ctx.now());
    const summary = await ctx.ledger.summarize(inv.workspaceId, from, to);
    return { text: renderUsage(summary), visibility: 'private' };
  },
};

/** Renders a usage summary as short ranked lists. */
export function renderUsage(s: UsageSummary): string {
  const head = `*Usage ${s.from} → ${s.to} (UTC)*: ${bucketText(s.total)}`;
  if (s.total.calls === 0) return `${head}\nNo model calls in this period.`;
  const section = (title: string, m: Record<string, Bucket>) => [
    `*${title}*`,
    ...Object.entries(m)
      .sort(([, a], [, b]) => b.usd - a.usd)
      .slice(0, 10)
      .map(([k, b]) => `• ${k}: ${bucketText(b)}`),
  ];
  return [
    head,
    ...section('By model', s.byModel),
    ...section('By vendor', s.byVendor),
    ...section('By user', s.byUser),
    ...section('By channel', s.byChannel),
  ].join('\n');
}

function bucketText(b: Bucket): string {
  const unpriced = b.unpriced > 0 ? ` (+${b.unpriced} calls of unknown cost)` : '';
  return `${formatUsd(b.usd)}${unpriced} · ${b.calls} calls · ${b.inputTokens.toLocaleString('en-US')}→${b.outputTokens.toLocaleString('en-US')} tok`;
}
