export { until } from '../helpers/until.ts';
import type { DiscordHarness } from './harness.ts';
import { CHANNEL, GUILD } from './harness.ts';

/** A stored row of the digest capture, as the tests read it back. */
export type CapturedRow = Awaited<ReturnType<typeof capturedRows>>[number];

/** Turns a channel's digest on, as `/digest on` would, so the capture keeps its messages. */
export async function digestOn(h: DiscordHarness, channelId = CHANNEL): Promise<void> {
  await h.hive.ctx.digests.channels.put({
    platform: 'discord',
    workspaceId: `discord:${GUILD}`,
    channelId,
    time: '09:00',
    timezone: 'UTC',
    enabledAt: Date.now(),
    enabledBy: 'u',
    options: {},
  });
}

/** Everything the capture stored, oldest first: what a digest would read. */
export async function capturedRows(h: DiscordHarness) {
  return h.hive.logs.selectFrom('digest_messages').selectAll().orderBy('at').orderBy('message_id').execute();
}

/** The stored row of one message, if any. */
export async function rowOf(h: DiscordHarness, messageId: string): Promise<CapturedRow | undefined> {
  return (await capturedRows(h)).find((r) => r.message_id === messageId);
}

/** Where Discord shows a message: its channel, or the thread it is in. */
export const permalinkOf = (channelId: string, messageId: string) => `https://discord.com/channels/${GUILD}/${channelId}/${messageId}`;
