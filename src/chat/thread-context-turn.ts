import type { ThreadRef } from './transcripts.ts';

/**
 * One message of a thread as its platform has it, before the core's rules (thread-context-rules.ts)
 * decide whether it is context: platforms report what they see, the core alone filters and trims.
 */
export interface ThreadTurn {
  /** `hive`: Hive's own message; `person`: a human's; `bot`: another bot or integration (never context). */
  author: 'hive' | 'person' | 'bot';
  text: string;
  /** When it was said (ms since the epoch); absent where the source keeps no times (the core transcripts). */
  at?: number;
  /** The platform's message id, so the question being asked is not also its own context. */
  messageId?: string;
  /** Hive's message: the question it answers, as Hive echoed it (a user turn before the answer). */
  question?: string;
  /** Hive's reply shown as an error: never context, and neither is the question it answered. */
  tone?: 'normal' | 'error';
  /** `private`: seen by the requester alone (ephemeral), so never context for the thread. */
  visibility?: 'channel' | 'private';
}

/**
 * How a platform reads a thread back as neutral turns, at most about `limit` of them (the newest),
 * in any order; the optional `ChatAdapter.threadHistory` member has this shape.
 */
export type ThreadHistory = (thread: ThreadRef, limit: number) => Promise<ThreadTurn[]>;
