import type { Reply } from '../../../src/chat/invocation.ts';
import type { SlackDeps } from './deps.ts';
import type { ThreadRef } from './transcript.ts';

/** Commands whose answers are conversations a thread can continue. */
const CONVERSATIONAL = new Set(['ask', 'consensus']);

/** Appends a question and its posted answer to the thread transcript; errors are never context. */
export async function recordExchange(deps: SlackDeps, ref: ThreadRef, command: string, question: string, reply: Reply): Promise<void> {
  if (!CONVERSATIONAL.has(command) || reply.tone === 'error' || reply.visibility !== 'channel') return;
  try {
    await deps.transcripts.append(ref, [
      { role: 'user', content: reply.question ?? question },
      { role: 'assistant', content: reply.text },
    ]);
  } catch (err) {
    deps.log.warn({ err }, 'could not record the thread transcript');
  }
}
