import type { Client, Message, ThreadChannel } from 'discord.js';
import type { ThreadHistory, ThreadTurn } from '../../../src/chat/thread-context-rules.ts';
import { textOfComponents } from './message-body.ts';

/** Discord's largest read of a channel's messages. */
const MAX_READ = 100;

/**
 * `ChatAdapter.threadHistory` on Discord: a thread's conversation from Discord itself (so it survives
 * restarts and includes what was said while Hive was down), as raw turns for the core's thread
 * context, which decides what of it is context. Not a thread (or not yet logged in): nothing.
 */
export function discordThreadHistory(client: Client): ThreadHistory {
  return async (ref, limit) => {
    const botId = client.user?.id;
    // Cached when the gateway announced the thread; else fetched as REST returns it.
    const channel = botId ? await client.channels.fetch(ref.threadId, { allowUnknownGuild: true }) : null;
    return botId && channel?.isThread() ? readThreadTurns(channel, botId, limit) : [];
  };
}

/** The message the thread was started from, then the thread's newest `limit` messages (at most 100), oldest first. */
export async function readThreadTurns(thread: ThreadChannel, botId: string, limit: number): Promise<ThreadTurn[]> {
  const starter = await thread.fetchStarterMessage().catch(() => null);
  const fetched = await thread.messages.fetch({ limit: Math.max(1, Math.min(limit, MAX_READ)) });
  const ordered = [...fetched.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const all = starter ? [starter, ...ordered.filter((m) => m.id !== starter.id)] : ordered;
  return all.map((m) => turnOf(m, botId));
}

function turnOf(m: Message, botId: string): ThreadTurn {
  const seen = { at: m.createdTimestamp, messageId: m.id };
  // Hive's answers with buttons are Components V2: their text is in text displays, not `content`.
  const own = m.content !== '' ? m.content : textOfComponents(m.components.map((c) => c.toJSON()));
  if (m.author.id === botId) return { author: 'hive', ...seen, ...hiveMessage(own) };
  if (m.author.bot) return { author: 'bot', ...seen, text: m.content };
  return { author: 'person', ...seen, text: stripMention(m.content, botId) };
}

/**
 * Hive's message as render.ts wrote it: an optional quoted question (`> …`), the answer (`⚠️ …` for
 * an error, which has no footer), an optional subtext footer (`-# …`, dropped).
 */
function hiveMessage(content: string): Pick<ThreadTurn, 'text' | 'question' | 'tone'> {
  const lines = content.split('\n');
  const question = lines[0]?.startsWith('> ') ? lines.shift()!.slice(2) : undefined;
  const footer = lines.at(-1)?.startsWith('-# ') ? lines.pop() : undefined;
  const text = lines.join('\n').trim();
  // An answer has a footer (model and cost); an error has none.
  const error = footer === undefined && text.startsWith('⚠️ ');
  return { text, ...(question !== undefined ? { question } : {}), tone: error ? 'error' : 'normal' };
}

/** The text of a message without Hive's @mention (`<@id>` or `<@!id>`). */
export function stripMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), '').trim();
}
