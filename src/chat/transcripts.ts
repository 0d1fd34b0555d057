import type Keyv from 'keyv';
import { createKeyedMutex } from '../store/mutex.ts';
import type { ChatMessage } from '../shared/provider-spec.ts';
import type { AttachmentRef } from '../shared/attachment.ts';

/** One chat thread: the platform's workspace scope (Slack's team id), the channel and the thread's id. */
export interface ThreadRef {
  scope: string;
  channelId: string;
  threadId: string;
}

export interface TranscriptRecord {
  turns: ChatMessage[];
  updatedAt: string;
  /**
   * The files answered turns were asked with, as the platform described them (never their content),
   * so a follow-up sees them again; they expire with the record.
   */
  files?: AttachmentRef[];
}

/**
 * The conversation record of a thread, kept from the messages Hive receives and the answers it
 * posts, so a follow-up carries its context without reading history back from the platform
 * (Slack's `conversations.replies` allows 1 call/min for non-Marketplace apps).
 */
export interface Transcripts {
  /** The thread's turns, or undefined when Hive has not answered in it. */
  get(ref: ThreadRef): Promise<ChatMessage[] | undefined>;
  /** Adds turns, and the files the question of those turns came with. */
  append(ref: ThreadRef, turns: ChatMessage[], files?: readonly AttachmentRef[]): Promise<void>;
  /** The files earlier turns of the thread were asked with, oldest first; none when unknown. */
  files(ref: ThreadRef): Promise<AttachmentRef[]>;
}

export interface TranscriptOptions {
  store: Keyv<TranscriptRecord>;
  /** Turns kept per thread (the core trims further to a token budget). */
  maxTurns?: number;
  /** Files remembered per thread, the newest (a follow-up's job reads at most its own limit of them). */
  maxFiles?: number;
  ttlMs: number;
  now?: () => Date;
}

const keyOf = (r: ThreadRef) => `${r.scope}:${r.channelId}:${r.threadId}`;

/** Transcripts in the `threads` namespace, capped per thread, expiring with the evidence retention. */
export function createTranscripts(o: TranscriptOptions): Transcripts {
  const max = o.maxTurns ?? 40;
  const maxFiles = o.maxFiles ?? 10;
  const mutex = createKeyedMutex();
  const now = () => (o.now ? o.now() : new Date()).toISOString();
  return {
    async get(ref) {
      return (await o.store.get(keyOf(ref)))?.turns;
    },
    async append(ref, turns, shared = []) {
      const key = keyOf(ref);
      await mutex.run(key, async () => {
        const prev = await o.store.get(key);
        const files = keptFiles(prev?.files ?? [], shared, maxFiles);
        const record = { turns: [...(prev?.turns ?? []), ...turns].slice(-max), updatedAt: now(), ...(files.length > 0 ? { files } : {}) };
        await o.store.set(key, record, o.ttlMs);
      });
    },
    async files(ref) {
      return (await o.store.get(keyOf(ref)))?.files ?? [];
    },
  };
}

/** The thread's files with the newly shared ones last (one entry per file id), the newest `max`; a ref is kept as shared, not as `earlier`. */
function keptFiles(prev: readonly AttachmentRef[], shared: readonly AttachmentRef[], max: number): AttachmentRef[] {
  const fresh = shared.map(({ earlier: _earlier, ...ref }) => ref);
  const ids = new Set(fresh.map((f) => f.id));
  return [...prev.filter((f) => !ids.has(f.id)), ...fresh].slice(-max);
}
