import type Keyv from 'keyv';
import { createKeyedMutex } from '../store/mutex.ts';
import type { ChatMessage } from '../shared/provider-spec.ts';

/** One chat thread: the platform's workspace scope (Slack's team id), the channel and the thread's id. */
export interface ThreadRef {
  scope: string;
  channelId: string;
  threadId: string;
}

export interface TranscriptRecord {
  turns: ChatMessage[];
  updatedAt: string;
}

/**
 * The conversation record of a thread, kept from the messages Hive receives and the answers it
 * posts, so a follow-up carries its context without reading history back from the platform
 * (Slack's `conversations.replies` allows 1 call/min for non-Marketplace apps).
 */
export interface Transcripts {
  /** The thread's turns, or undefined when Hive has not answered in it. */
  get(ref: ThreadRef): Promise<ChatMessage[] | undefined>;
  append(ref: ThreadRef, turns: ChatMessage[]): Promise<void>;
}

export interface TranscriptOptions {
  store: Keyv<TranscriptRecord>;
  /** Turns kept per thread (the core trims further to a token budget). */
  maxTurns?: number;
  ttlMs: number;
  now?: () => Date;
}

const keyOf = (r: ThreadRef) => `${r.scope}:${r.channelId}:${r.threadId}`;

/** Transcripts in the `threads` namespace, capped per thread, expiring with the evidence retention. */
export function createTranscripts(o: TranscriptOptions): Transcripts {
  const max = o.maxTurns ?? 40;
  const mutex = createKeyedMutex();
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  return {
    async get(ref) {
      return (await o.store.get(keyOf(ref)))?.turns;
    },
    async append(ref, turns) {
      const key = keyOf(ref);
      await mutex.run(key, async () => {
        const prev = (await o.store.get(key))?.turns ?? [];
        await o.store.set(key, { turns: [...prev, ...turns].slice(-max), updatedAt: now() }, o.ttlMs);
      });
    },
  };
}
