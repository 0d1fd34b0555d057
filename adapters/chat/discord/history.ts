import type { Message, ThreadChannel } from 'discord.js';
import type { ChatMessage } from '../../../src/shared/types.ts';

/** Messages of a thread read back as context; older ones beyond the token budget are trimmed by the core. */
const HISTORY_LIMIT = 100;

/**
 * A thread's conversation from Discord itself (so it survives restarts and includes what was said
 * while Hive was down): the message the thread was started from, then the thread's messages, oldest
 * first. Hive's own messages are the assistant's turns, their echoed question (`> …`) a user turn
 * and their footer (`-# …`) dropped; other bots are left out.
 */
export async function threadHistory(thread: ThreadChannel, botId: string, exceptId: string): Promise<ChatMessage[]> {
  const starter = await thread.fetchStarterMessage().catch(() => null);
  const fetched = await thread.messages.fetch({ limit: HISTORY_LIMIT });
  const ordered = [...fetched.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  const all = starter ? [starter, ...ordered.filter((m) => m.id !== starter.id)] : ordered;
  return all.filter((m) => m.id !== exceptId).flatMap((m) => turnsOf(m, botId));
}

function turnsOf(m: Message, botId: string): ChatMessage[] {
  if (m.author.id === botId) return hiveTurns(m.content);
  if (m.author.bot) return [];
  const text = stripMention(m.content, botId);
  return text === '' ? [] : [{ role: 'user', content: text }];
}

/** Hive's message: an optional quoted question, the answer, an optional subtext footer. */
function hiveTurns(content: string): ChatMessage[] {
  const lines = content.split('\n');
  const question = lines[0]?.startsWith('> ') ? lines.shift()!.slice(2) : undefined;
  if (lines.at(-1)?.startsWith('-# ')) lines.pop();
  const answer = lines.join('\n').trim();
  return [...(question ? [{ role: 'user' as const, content: question }] : []), ...(answer ? [{ role: 'assistant' as const, content: answer }] : [])];
}

/** The text of a message without Hive's @mention (`<@id>` or `<@!id>`). */
export function stripMention(content: string, botId: string): string {
  return content.replace(new RegExp(`<@!?${botId}>`, 'g'), '').trim();
}
