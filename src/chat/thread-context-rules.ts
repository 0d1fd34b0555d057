import type { ChatMessage } from '../shared/provider-spec.ts';
import type { ThreadRef } from './transcripts.ts';

/** How much of a thread a question carries: the newest turns within both bounds. */
export interface ThreadContextLimits {
  /** Model turns (a question or an answer) at most. */
  maxTurns: number;
  /** Characters of those turns at most. */
  maxChars: number;
}

/**
 * 100 turns (Discord's largest read, as before) and 100,000 characters (about 25,000 tokens): above
 * the job's own 8,000-token window, so the job's trim, which the answer's footer reports, stays the
 * one that usually bites; these bound what is read, masked and queued with each question.
 */
export const DEFAULT_THREAD_CONTEXT_LIMITS: ThreadContextLimits = { maxTurns: 100, maxChars: 100_000 };

/** Whether a turn may ever be context: never another bot's, an error, or a reply only its requester saw. */
export function isContextTurn(t: ThreadTurn): boolean {
  return t.author !== 'bot' && t.tone !== 'error' && t.visibility !== 'private';
}

/** A turn as model messages: Hive's echoed question then its answer, or a person's text; blank text is none. */
export function messagesOf(t: ThreadTurn): ChatMessage[] {
  const said = (text: string | undefined) => text !== undefined && text.trim() !== '';
  if (t.author === 'person') return said(t.text) ? [{ role: 'user', content: t.text }] : [];
  if (t.author !== 'hive') return [];
  return [
    ...(said(t.question) ? [{ role: 'user' as const, content: t.question! }] : []),
    ...(said(t.text) ? [{ role: 'assistant' as const, content: t.text }] : []),
  ];
}

/**
 * The rules in one place: what may be context is kept (the question's own message never is), put
 * oldest first, and cut to the newest turns within the limits.
 */
export function selectContext(turns: readonly ThreadTurn[], limits: ThreadContextLimits, questionId?: string): ChatMessage[] {
  const kept = turns.filter((t) => isContextTurn(t) && (questionId === undefined || t.messageId !== questionId));
  return newestWithin(oldestFirst(kept).flatMap(messagesOf), limits);
}

/** By time when every turn has one (a stable sort keeps a message's question before its answer); else as given. */
function oldestFirst(turns: ThreadTurn[]): ThreadTurn[] {
  return turns.every((t) => t.at !== undefined) ? [...turns].sort((a, b) => a.at! - b.at!) : turns;
}

/** The newest messages within both limits, oldest first. */
function newestWithin(messages: ChatMessage[], limits: ThreadContextLimits): ChatMessage[] {
  const kept: ChatMessage[] = [];
  let chars = 0;
  for (let i = messages.length - 1; i >= 0 && kept.length < limits.maxTurns; i--) {
    chars += messages[i]!.content.length;
    if (chars > limits.maxChars) break;
    kept.push(messages[i]!);
  }
  return kept.reverse();
}

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
