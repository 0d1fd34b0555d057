import type { ChatMessage } from '../shared/provider-spec.ts';
import type { AttachmentRef } from '../shared/attachment.ts';
import type { ChatAdapter } from './chat-adapter.ts';
import { DEFAULT_THREAD_CONTEXT_LIMITS, selectContext, type ThreadContextLimits } from './thread-context-rules.ts';
import type { ThreadTurn } from './thread-context-rules.ts';
import type { ThreadRef, Transcripts } from './transcripts.ts';

export interface ThreadContextOptions {
  /** The platform, read when it supplies its threads' history itself (`ChatAdapter.threadHistory`). */
  platform?: Pick<ChatAdapter, 'threadHistory'>;
  /** The core transcripts (what `recordExchange` kept), read when the platform supplies no history. */
  transcripts?: Pick<Transcripts, 'get'> & Partial<Pick<Transcripts, 'files'>>;
  /** Bounds on what a question carries; `DEFAULT_THREAD_CONTEXT_LIMITS` where unset. */
  limits?: Partial<ThreadContextLimits>;
}

/** What earlier turns of its thread a question carries, decided the same way for every platform. */
export interface ThreadContext {
  /**
   * The thread's turns as context, oldest first (without the question's own message, when named);
   * undefined when nothing is known of the thread (no history supplied, no transcript kept), which
   * a platform may read as "Hive has not answered there".
   */
  forThread(thread: ThreadRef, question?: { messageId: string }): Promise<ChatMessage[] | undefined>;
  /**
   * The files earlier answered turns of the thread were asked with, marked `earlier`, for a follow-up
   * to read again through the platform's reader; none where the transcripts keep none.
   */
  filesFor(thread: ThreadRef): Promise<AttachmentRef[]>;
}

/**
 * The core's thread context: platforms supply raw history only (or none, and the core transcripts
 * stand in); which turns count, their order and their bounds are decided here. A platform's read
 * that fails is its caller's failure, like every other read of the request.
 */
export function createThreadContext(o: ThreadContextOptions): ThreadContext {
  const limits: ThreadContextLimits = { ...DEFAULT_THREAD_CONTEXT_LIMITS, ...o.limits };
  return {
    async forThread(thread, question) {
      const turns = await rawTurns(o, thread, limits.maxTurns);
      return turns === undefined ? undefined : selectContext(turns, limits, question?.messageId);
    },
    async filesFor(thread) {
      const files = (await o.transcripts?.files?.(thread)) ?? [];
      return files.map((f) => ({ ...f, earlier: true }));
    },
  };
}

/** A follow-up's files: those shared with it, then the thread's earlier ones it did not share again. */
export function withEarlierFiles(shared: readonly AttachmentRef[], earlier: readonly AttachmentRef[]): AttachmentRef[] {
  const ids = new Set(shared.map((f) => f.id));
  return [...shared, ...earlier.filter((f) => !ids.has(f.id)).map((f) => ({ ...f, earlier: true }))];
}

async function rawTurns(o: ThreadContextOptions, thread: ThreadRef, limit: number): Promise<ThreadTurn[] | undefined> {
  if (o.platform?.threadHistory) return o.platform.threadHistory(thread, limit);
  const record = await o.transcripts?.get(thread);
  return record?.map((m): ThreadTurn => ({ author: m.role === 'assistant' ? 'hive' : 'person', text: m.content }));
}
