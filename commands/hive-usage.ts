import { UserError } from '../src/errors.ts';
import { formatUsd } from '../src/money/footer.ts';
import type { Bucket, UsageSummary } from '../src/money/ledger.ts';
import type { HiveVerb } from './hive-verb.ts';
import { parseUsagePeriod } from './usage-period.ts';

const USAGE = '/hive usage [day|week|month|2026-11|2026-11-05|2026-11-01..2026-11-15]';

/** `/hive usage [period]`: spend by model, vendor, user and channel, for a named period or dates. */
export const usageVerb: HiveVerb = {
  name: 'usage',
  usage: USAGE,
  summary: 'Spend by model, vendor, user and channel.',
  async run(inv, ctx, args) {
    const { from, to } = withUsage(() => parseUsagePeriod(args, ctx.now()));
    const summary = await ctx.ledger.summarize(inv.workspaceId, from, to);
    return { text: renderUsage(summary), visibility: 'private' };
  },
};

function withUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message}\nUsage: ${USAGE}`, 'usage');
    throw e;
  }
}

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
  const unpriced = b.unpriced > 0 ? ` (+${calls(b.unpriced)} of unknown cost)` : '';
  return `${formatUsd(b.usd)}${unpriced} · ${calls(b.calls)}${stoppedText(b.stopped)} · ${b.inputTokens.toLocaleString('en-US')}→${b.outputTokens.toLocaleString('en-US')} tok`;
}

/** Calls booked at their worst case: the vendor served them, but their process stopped before it could book what they used. */
function stoppedText(n: number): string {
  return n > 0 ? ` (${calls(n)} estimated: the process running ${n === 1 ? 'it' : 'them'} stopped)` : '';
}

const calls = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'call' : 'calls'}`;
