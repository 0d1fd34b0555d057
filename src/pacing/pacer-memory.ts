import type Keyv from 'keyv';
import type { BucketName } from './pacer-buckets.ts';
import type { BucketMemory } from './token-bucket.ts';

/** What one pace (workspace × vendor, or × model) learned about its limits, and when. */
export interface PaceMemory {
  savedAt: number;
  buckets: Partial<Record<BucketName, BucketMemory>>;
}

/**
 * Learned limits survive a restart, so a new process does not probe a vendor from one call at a
 * time again. Read lazily per pace (never a walk at start-up), written behind: a save only marks
 * the pace dirty, and one debounced write stores the latest of each, off every answer's path.
 */
export interface LimitMemory {
  /** `pace`: the vendor (`openai`) or one of its models (`openai|gpt-6-luna`). */
  load(ws: string, pace: string): Promise<PaceMemory | undefined>;
  /** Remembers the pace's latest state; it reaches the store within `debounceMs`. */
  save(ws: string, pace: string, m: PaceMemory): void;
  /** Writes whatever is pending now (at shutdown). */
  flush(): Promise<void>;
}

/** Past this age a remembered limit is a hint (start from half of it), not the truth. */
export const LIMIT_MEMORY_FRESH_MS = 60 * 60_000;
/** Learned state is kept this long after its last write. */
const KEEP_MS = 30 * 24 * 60 * 60_000;

export function createLimitMemory(o: { kv: Keyv<PaceMemory>; debounceMs?: number; onError?: (e: unknown) => void }): LimitMemory {
  const dirty = new Map<string, PaceMemory>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const key = (ws: string, pace: string) => `${ws}|${pace}`;
  const write = (): Promise<void> => {
    timer = undefined;
    const batch = [...dirty];
    dirty.clear();
    writing = writing.then(async () => {
      for (const [k, m] of batch) await o.kv.set(k, m, KEEP_MS).catch((e: unknown) => o.onError?.(e));
    });
    return writing;
  };
  return {
    async load(ws, pace) {
      try {
        const m = await o.kv.get(key(ws, pace));
        return m && typeof m.savedAt === 'number' && typeof m.buckets === 'object' ? m : undefined;
      } catch (e) {
        o.onError?.(e);
        return undefined;
      }
    },
    save(ws, pace, m) {
      dirty.set(key(ws, pace), m);
      if (timer) return;
      timer = setTimeout(() => void write(), o.debounceMs ?? 2_000);
      timer.unref?.();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      await write();
    },
  };
}
