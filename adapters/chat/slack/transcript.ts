import type Keyv from 'keyv';
import { createKeyedMutex } from '../../../src/store/mutex.ts';
import type { ChatMessage } from '../../../src/types.ts';

/** A Slack thread: the workspace, the channel and the parent message's ts. */
export interface ThreadRef {
  teamId: string;
  channelId: string;
  threadTs: string;
}

export interface TranscriptRecord {
  turns: ChatMessage[];
  updatedAt: string;
}

/**
 * Per-thread conversation kept from the events Hive receives and the answers it posts, so a
 * follow-up carries its context without `conversations.replies` (1 call/min for non-Marketplace apps).
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

const keyOf = (r: ThreadRef) => `${r.teamId}:${r.channelId}:${r.threadTs}`;

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
