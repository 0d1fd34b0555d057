import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import { localTime } from '../src/digest/schedule.ts';

const DAY_MS = 24 * 3_600_000;

/** `/digest now`: the last 24 hours of this channel, posted here; no capture, no model call. */
export async function digestNow(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const c = await ctx.digests.channels.get(inv.workspaceId, inv.channelId);
  if (!c)
    return {
      text: 'This channel has no digest, so Hive keeps none of its messages and has nothing to summarise. Turn it on with /digest on [HH:MM] [Area/City]; messages from then on are captured.',
      visibility: 'private',
    };
  const to = ctx.now().getTime();
  // What a slow digest's placeholder says while it is made.
  void inv.progress?.({ text: "Summarising this channel's last 24 hours", kind: 'plan' }).catch(() => undefined);
  const run = await ctx.digests.runner.run({ channel: c, from: to - DAY_MS, to, userId: inv.userId, title: '**Digest** · the last 24 hours' });
  if (run.kind === 'empty')
    return {
      text: `No messages were captured in this channel in the last 24 hours (capture began ${localTime(new Date(c.enabledAt), c.timezone)}), so there is nothing to summarise. No model was called.`,
      visibility: 'private',
    };
  return run.reply;
}
