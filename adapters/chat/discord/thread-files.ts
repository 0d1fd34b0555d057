import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { recordExchange } from '../../../src/chat/exchange.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { withEarlierFiles, type ThreadContext } from '../../../src/chat/thread-context.ts';
import { createTranscripts, type ThreadRef, type Transcripts } from '../../../src/chat/transcripts.ts';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';

/**
 * The thread records Discord keeps in the core transcripts. A thread's messages are read back from
 * Discord itself, but the `/ask` a thread was opened from is an interaction, not a message in it:
 * the files given with its `file` option are kept here, by reference, for the thread's follow-ups.
 */
export function discordTranscripts(host: Pick<ChatHost, 'store' | 'config'>): Transcripts {
  return createTranscripts({ store: host.store.ns('threads'), ttlMs: host.config.threadRetentionMs });
}

/** Called once an answer has opened its thread, with the thread's id and the answer. */
export type OnThread = (threadId: string, reply: Reply) => Promise<void>;

/**
 * Keeps the files a channel command was asked with against the thread its answer opened, as an
 * answered turn of that thread (the core's rule: never an error or a private reply); nothing is
 * written for a command without files, Discord's own history holding the rest.
 */
export function keepRootFiles(
  host: Pick<ChatHost, 'commands' | 'log'>,
  transcripts: Transcripts,
  asked: { guildId: string; channelId: string; command: string; text: string; files: readonly AttachmentRef[] | undefined },
): OnThread | undefined {
  const files = asked.files?.filter((f) => !f.earlier) ?? [];
  if (files.length === 0) return undefined;
  const traits = host.commands.find(asked.command);
  return (threadId, reply) =>
    recordExchange({ transcripts, log: host.log }, { scope: asked.guildId, channelId: asked.channelId, threadId }, traits, asked.text, reply, files);
}

/**
 * A question's files in one of Hive's threads: its own, then those the thread was opened with (kept
 * in the transcripts, oldest), then those people shared in its messages; each file once, the
 * earlier ones marked `earlier`.
 */
export async function filesInThread(
  threads: ThreadContext,
  ref: ThreadRef,
  own: readonly AttachmentRef[],
  shared: readonly AttachmentRef[],
): Promise<AttachmentRef[]> {
  return withEarlierFiles(withEarlierFiles(own, await threads.filesFor(ref)), shared);
}
