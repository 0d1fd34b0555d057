import { formatUsd } from '../src/money/footer.ts';
import type { Bucket, UsageSummary } from '../src/money/ledger.ts';
import type { HiveVerb } from './hive-verb.ts';
import { parsePeriodFor } from './usage-period.ts';
import { term } from '../src/shared/platform-terms.ts';
import { feedbackSection, periodMs } from './usage-feedback.ts';
import { usageLinkReply } from './hive-usage-link.ts';
import { usageChart } from './usage-chart.ts';

const USAGE = '/hive usage [day|week|month|2026-11|2026-11-05|2026-11-01..2026-11-15|link]';

/**
 * `/hive usage [period]`: the workspace's spend by model and vendor and the asker's own; who spent
 * what where (by user, by channel) only for admins, since it names people and private channels.
 */
export const usageVerb: HiveVerb = {
  name: 'usage',
  usage: USAGE,
  summary: 'Spend by model and vendor, and your own (admins: by user and channel too); feedback on answers by lane.',
  async run(inv, ctx, args) {
    if (args.trim().toLowerCase() === 'link') return usageLinkReply(inv, ctx);
    const { from, to } = parsePeriodFor(args, ctx.now(), USAGE);
    const summary = await ctx.ledger.summarize(inv.workspaceId, from, to);
    const text = (await inv.isAdmin()) ? renderUsage(summary, undefined, term) : renderUsage(summary, { memberId: inv.userId });
    const { sinceMs, untilMs } = periodMs(from, to);
    const feedback = feedbackSection(await ctx.answers.book.counts(inv.workspaceId, sinceMs, untilMs));
    const image = usageChart(ctx, inv.workspaceId, summary);
    return { text: [text, ...feedback].join('\n'), visibility: 'private', ...(image ? { image } : {}) };
  },
};

/** Whose view a summary is rendered for: a member sees their own spend instead of everyone's. */
export interface UsageViewer {
  memberId: string;
}

/** How a breakdown shows people and channels: as mentions in chat, as ids where nothing renders those (a shell). */
export interface UsageNames {
  user(id: string): string;
  channel(id: string): string;
}

const PLAIN_IDS: UsageNames = { user: (id) => id, channel: (id) => id };

/** Renders a usage summary as short ranked lists; with a member viewer, without other people or channels. */
export function renderUsage(s: UsageSummary, viewer?: UsageViewer, names: UsageNames = PLAIN_IDS): string {
  const head = `*Usage ${s.from} → ${s.to} (UTC)*: ${bucketText(s.total)}`;
  if (s.total.calls === 0) return `${head}\nNo model calls in this period.`;
  const section = (title: string, m: Record<string, Bucket>, name: (key: string) => string = (k) => k) => [
    `*${title}*`,
    ...Object.entries(m)
      .sort(([, a], [, b]) => b.usd - a.usd)
      .slice(0, 10)
      .map(([k, b]) => `• ${name(k)}: ${bucketText(b)}`),
  ];
  const workspace = [head, ...section('By model', s.byModel), ...section('By vendor', s.byVendor), ...section('By lane', s.byLane)];
  if (viewer) return [...workspace, ownLine(s.byUser[viewer.memberId])].join('\n');
  return [...workspace, ...section('By user', s.byUser, names.user), ...section('By channel', s.byChannel, names.channel)].join('\n');
}

/** A member's own spend; spend by user and by channel is for admins. */
function ownLine(b: Bucket | undefined): string {
  const own = b ? bucketText(b) : 'nothing in this period';
  return `*You*: ${own}\n_Spend by user and by channel is shown to ${term.admins()}._`;
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
