import type { Logger } from '../shared/log.ts';
import type { CommandTraits } from './dispatcher.ts';
import type { Reply } from './invocation.ts';
import { isContextTurn, messagesOf } from './thread-context-rules.ts';
import type { ThreadTurn } from './thread-context-rules.ts';
import type { ThreadRef, Transcripts } from './transcripts.ts';
import type { AttachmentRef } from '../shared/attachment.ts';

/**
 * Appends a question and its posted answer to the thread's record, for commands a thread can
 * continue (`conversational`); what may be context (never errors or private replies) is the
 * thread context's rule, the same one a platform's own history goes through.
 */
export async function recordExchange(
  o: { transcripts: Transcripts; log: Logger },
  ref: ThreadRef,
  command: CommandTraits | undefined,
  question: string,
  reply: Reply,
  /** The files the question came with: kept by reference (never content) for the thread's follow-ups. */
  files?: readonly AttachmentRef[],
): Promise<void> {
  if (!command?.conversational) return;
  const turn: ThreadTurn = { author: 'hive', text: reply.text, question: reply.question ?? question, tone: reply.tone, visibility: reply.visibility };
  if (!isContextTurn(turn)) return;
  try {
    await o.transcripts.append(ref, messagesOf(turn), files);
  } catch (err) {
    o.log.warn({ err }, 'could not record the thread transcript');
  }
}
