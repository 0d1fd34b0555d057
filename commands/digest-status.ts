import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { DigestChannel } from '../src/digest/digest-channels.ts';
import type { BackfillState } from '../src/digest/backfill.ts';
import { digestScope } from '../src/digest/digest-runner.ts';
import { localTime, nextOccurrence } from '../src/digest/schedule.ts';
import { formatUsd } from '../src/money/footer.ts';

/** What is kept, where and for how long: shown by `/digest status` and in the README. */
export function privacyNote(hours: number): string {
  return (
    `Privacy: while a channel's digest is on, Hive stores each person's message there (text, author, time, thread and link; never bots' messages, never other channels) ` +
    `in its own database for ${hours} hours, then deletes it. A digest sends those messages to this workspace's model vendors on its own keys; ` +
    `the digest's evidence record keeps the points and their links, not the messages. /digest off deletes everything kept for the channel.`
  );
}

/** `/digest status`: the schedule, the next run, what is captured, this month's digest spend, the last run. */
export async function digestStatus(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const d = ctx.digests;
  const c = await d.channels.get(inv.workspaceId, inv.channelId);
  if (!c) return { text: await offStatus(inv, ctx), visibility: 'private' };
  const now = ctx.now();
  const [stats, last, spend, fill] = await Promise.all([
    d.messages.stats(c.workspaceId, c.channelId),
    d.runs.last(c.workspaceId, c.channelId),
    spentUsd(ctx, c, now),
    d.backfills.state(c.workspaceId, c.channelId),
  ]);
  const lines = [
    `Digest: on, daily at ${c.time} ${c.timezone}; next ${localTime(nextOccurrence(c, now), c.timezone)}.`,
    `Turned on by ${c.enabledBy === inv.userId ? 'you' : `user ${c.enabledBy}`} on ${localTime(new Date(c.enabledAt), c.timezone)}.`,
    `Captured: ${stats.count} message${stats.count === 1 ? '' : 's'}${stats.oldestAt ? ` since ${localTime(new Date(stats.oldestAt), c.timezone)}` : ''} (each kept ${d.retentionHours} hours).`,
    `Digest spend this month: ${formatUsd(spend)}${c.options.monthlyBudgetUsd !== undefined ? ` of a ${formatUsd(c.options.monthlyBudgetUsd)} budget` : ' (no digest budget; /digest set budget <usd>)'}.`,
    last
      ? `Last digest: ${last.day}, ${last.status}${last.note ? ` (${last.note})` : ''}${last.evidenceId ? `, evidence ${last.evidenceId}` : ''}.`
      : 'No digest yet.',
    ...(fill ? [backfillLine(fill)] : []),
    `Options: ${optionsText(c)}.`,
    privacyNote(d.retentionHours),
  ];
  return { text: lines.join('\n'), visibility: 'private' };
}

/** An off channel's status: nothing captured, and the settings kept for the next `/digest on`, if any. */
async function offStatus(inv: Invocation, ctx: HiveContext): Promise<string> {
  const k = await ctx.digests.channels.kept(inv.workspaceId, inv.channelId);
  const kept = k
    ? [
        `Turned off on ${localTime(new Date(k.offAt ?? 0), k.timezone)}; its settings are kept: daily at ${k.time} ${k.timezone}, ${optionsText(k)}.`,
        'Turn it back on with them: /digest on. Delete them: /digest off --forget.',
      ]
    : ['Turn it on: /digest on [HH:MM] [Area/City], e.g. /digest on 17:30 Europe/Paris.'];
  return ['Digest: off in this channel; nothing is captured here.', ...kept, privacyNote(ctx.digests.retentionHours)].join('\n');
}

function backfillLine(b: BackfillState): string {
  const read = `${b.messages} message${b.messages === 1 ? '' : 's'} in ${b.pages} page${b.pages === 1 ? '' : 's'}`;
  if (b.error) return `Backfill stopped: ${b.error} (${read} read).`;
  return b.done ? `Backfill of the day before the digest was turned on: done, ${read}.` : `Backfill under way: ${read} so far.`;
}

async function spentUsd(ctx: HiveContext, c: DigestChannel, now: Date): Promise<number> {
  const [balance] = await ctx.books.balances([digestScope(c.workspaceId, c.channelId, undefined, now).key]);
  return (balance?.settled ?? 0) / 1e9;
}

function optionsText(c: DigestChannel): string {
  const o = c.options;
  return [
    o.model ? `model ${o.model}` : `lane ${o.lane ?? 'cheap'}`,
    `at most ${o.maxBullets ?? 12} points`,
    `quiet days ${o.quietDays === 'skip' ? 'skipped' : 'said in one line'}`,
  ].join(', ');
}
