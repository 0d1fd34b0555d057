import { PermissionFlagsBits, type Client, type Message, type ThreadChannel } from 'discord.js';
import { sendParts } from './send.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { Invocation } from '../../../src/chat/invocation.ts';
import { stripMention, threadHistory } from './history.ts';
import { workspaceIdFor } from './conventions.ts';

/** Discord shows "typing…" for 10 s after each call: renewed a little sooner while a job runs. */
const TYPING_RENEW_MS = 9_000;

/** A thread Hive started (from one of its answers): every human message in it is a question. */
export const isHiveThread = (channel: unknown, botId: string | undefined): channel is ThreadChannel =>
  typeof channel === 'object' &&
  channel !== null &&
  'isThread' in channel &&
  (channel as ThreadChannel).isThread() &&
  (channel as ThreadChannel).ownerId === botId;

/**
 * A message in one of Hive's threads: answered in the thread, with the thread's history (read from
 * Discord) as context, "typing…" shown meanwhile. Bots, Hive itself and empty messages are ignored.
 */
export async function runThreadMessage(host: ChatHost, client: Client, m: Message): Promise<void> {
  const botId = client.user?.id;
  if (!botId || m.author.bot || !m.inGuild() || !isHiveThread(m.channel, botId)) return;
  const thread = m.channel;
  const text = stripMention(m.content, botId);
  if (text === '') return;
  // A server may want Hive to answer in its threads only when mentioned (`/hive threads mentions`).
  if (!m.mentions.users.has(botId) && (await host.threadReplies(workspaceIdFor(m.guildId), thread.parentId ?? thread.id)) === 'mentions') return;
  const typing = keepTyping(thread);
  try {
    const inv: Invocation = {
      platform: 'discord',
      workspaceId: workspaceIdFor(m.guildId),
      channelId: thread.parentId ?? thread.id,
      threadId: thread.id,
      userId: m.author.id,
      command: 'ask',
      text,
      context: await threadHistory(thread, botId, m.id),
      isAdmin: async () => host.config.adminUserIds.includes(m.author.id) || (m.member?.permissions.has(PermissionFlagsBits.ManageGuild) ?? false),
      respond: async (reply) => {
        typing.stop();
        await sendParts(thread, reply);
      },
    };
    await host.dispatcher.handle(inv);
  } finally {
    typing.stop();
  }
}

function keepTyping(thread: ThreadChannel): { stop(): void } {
  const tick = () => void thread.sendTyping().catch(() => undefined);
  tick();
  const timer = setInterval(tick, TYPING_RENEW_MS);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
