import type { Logger } from '../shared/log.ts';
import type { CommandTraits } from './dispatcher.ts';
import type { Reply } from './invocation.ts';
import type { ThreadRef, Transcripts } from './transcripts.ts';

/**
 * Appends a question and its posted answer to the thread's record, for commands a thread can
 * continue (`conversational`); errors and private replies are never context.
 */
export async function recordExchange(
  o: { transcripts: Transcripts; log: Logger },
  ref: ThreadRef,
  command: CommandTraits | undefined,
  question: string,
  reply: Reply,
): Promise<void> {
  if (!command?.conversational || reply.tone === 'error' || reply.visibility !== 'channel') return;
  try {
    await o.transcripts.append(ref, [
      { role: 'user', content: reply.question ?? question },
      { role: 'assistant', content: reply.text },
    ]);
  } catch (err) {
    o.log.warn({ err }, 'could not record the thread transcript');
  }
}
