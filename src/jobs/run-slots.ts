/** A bounded number of keyed runs at once, the rest waiting in order of arrival. */
export interface RunSlots {
  /** Runs `work` when a slot is free; a key already running or waiting is not taken twice. */
  run(key: string, work: () => Promise<void>): void;
  /** Counts something that will schedule more work (a retry's wait) until it settles. */
  later(p: Promise<unknown>): void;
  /** Resolves once nothing runs, waits or is pending through `later`. */
  idle(): Promise<void>;
}

/** Creates the slots; a run's failure is its own business (`work` should not throw). */
export function createRunSlots(limit: number): RunSlots {
  const waiting: { key: string; work: () => Promise<void> }[] = [];
  const held = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  let running = 0;
  const track = (p: Promise<unknown>) => {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };
  const pump = () => {
    while (running < limit && waiting.length > 0) {
      const next = waiting.shift()!;
      running++;
      track(
        next.work().finally(() => {
          running--;
          held.delete(next.key);
          pump();
        }),
      );
    }
  };
  return {
    run(key, work) {
      if (held.has(key)) return;
      held.add(key);
      waiting.push({ key, work });
      pump();
    },
    later: track,
    async idle() {
      while (pending.size > 0 || waiting.length > 0) await Promise.allSettled([...pending]);
    },
  };
}
