import type { Client } from 'discord.js';
import type { HistoryPage, MessageTarget } from '../../../src/chat/chat-adapter.ts';
import type { CapturedMessage } from '../../../src/chat/capture-event.ts';
import { messageEvent } from './capture.ts';

/** Discord's largest page of a channel's messages. */
const PAGE = 100;

/**
 * One page of a channel's past messages for a digest's backfill, newest first, as the capture
 * would have reported them (bots, webhooks and notices left out); the next page starts before the
 * oldest message read, until the page reaches back past `sinceMs`.
 */
export async function readHistoryPage(client: Client, target: MessageTarget, sinceMs: number, cursor: string | undefined): Promise<HistoryPage> {
  // A worker's client has no gateway, so no guilds in its cache: the channel is taken as REST returns it.
  const channel = await client.channels.fetch(target.channelId, { allowUnknownGuild: true });
  if (!channel?.isTextBased() || !('messages' in channel)) throw new Error(`Discord channel ${target.channelId} has no messages to read`);
  const batch = await channel.messages.fetch({ limit: PAGE, ...(cursor ? { before: cursor } : {}) });
  const newestFirst = [...batch.values()].sort((a, b) => b.createdTimestamp - a.createdTimestamp);
  const messages: CapturedMessage[] = [];
  for (const m of newestFirst) {
    const e = m.createdTimestamp > sinceMs ? messageEvent(m) : undefined;
    if (e?.kind === 'message') messages.push(e.message);
  }
  const oldest = newestFirst.at(-1);
  const more = batch.size === PAGE && oldest !== undefined && oldest.createdTimestamp > sinceMs;
  return { messages, ...(more ? { next: oldest.id } : {}) };
}
