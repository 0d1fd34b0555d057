import type { Logger } from './log.ts';

/**
 * Writes that need not delay an answer (ledger rows, evidence records): started at once, awaited
 * before anything reads them back and before the store closes. Budget counters never go here.
 */
export interface WriteBehind {
  run(what: string, write: () => Promise<unknown>): void;
  /** Resolves when every write started so far has finished. */
  flush(): Promise<void>;
}

export function createWriteBehind(log: Pick<Logger, 'error'>): WriteBehind {
  const pending = new Set<Promise<unknown>>();
  return {
    run(what, write) {
      const p = write()
        .catch((err: unknown) => log.error({ err, what }, 'a background write failed'))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    async flush() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
