import type { Message } from 'discord.js';
import type { Invocation } from '../../../src/chat/invocation.ts';
import type { AttachmentReader, AttachmentRef } from '../../../src/shared/attachment.ts';
import { discordFileRefs, messageLink } from './files.ts';

/** The invocation's files and their reader, or nothing when there are none. */
export function withFiles(refs: AttachmentRef[], read: AttachmentReader): Pick<Invocation, 'attachments' | 'readAttachment'> {
  return refs.length > 0 ? { attachments: refs, readAttachment: read } : {};
}

/** A message's own attachments, linked to the message. */
export function messageFiles(m: Message, o: { earlier?: boolean } = {}): AttachmentRef[] {
  const link = m.guildId ? messageLink(m.guildId, m.channelId, m.id) : undefined;
  return discordFileRefs(m.attachments.values(), { ...o, ...(link ? { link } : {}) });
}

/**
 * The files people shared in a thread before `messageId`, as the thread context's read left them in
 * discord.js's cache (no second read of the thread), oldest first, marked `earlier`.
 */
export function earlierThreadFiles(messages: Iterable<Message>, messageId: string): AttachmentRef[] {
  return [...messages]
    .filter((m) => m.id !== messageId && !m.author.bot && m.attachments.size > 0 && BigInt(m.id) < BigInt(messageId))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    .flatMap((m) => messageFiles(m, { earlier: true }));
}
