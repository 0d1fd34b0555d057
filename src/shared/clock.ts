/** Time as a dependency, so waits for headroom and backoff are testable without real sleeping. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(done, Math.max(0, ms));
      function done() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
      function onAbort() {
        clearTimeout(t);
        reject(signal?.reason);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to; sleepers wake in time order. */
export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  /** Advances to the next pending sleeper, if any; returns whether one woke. */
  runNext(): Promise<boolean>;
  pending(): number;
}

export function createManualClock(start = 0): ManualClock {
  let t = start;
  const sleepers: { at: number; wake: () => void }[] = [];
  const flush = () => new Promise<void>((r) => setImmediate(r));
  const wakeDue = async () => {
    sleepers.sort((a, b) => a.at - b.at);
    while (sleepers.length > 0 && sleepers[0]!.at <= t) {
      sleepers.shift()!.wake();
      await flush();
      sleepers.sort((a, b) => a.at - b.at);
    }
  };
  return {
    now: () => t,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const entry = { at: t + Math.max(0, ms), wake: resolve };
        sleepers.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const i = sleepers.indexOf(entry);
            if (i >= 0) sleepers.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async advance(ms) {
      const target = t + ms;
      for (;;) {
        await flush();
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        t = Math.max(t, next.at);
        await wakeDue();
      }
      t = target;
      await flush();
    },
    async runNext() {
      await flush();
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers[0];
      if (!next) return false;
      t = Math.max(t, next.at);
      await wakeDue();
      return true;
    },
    pending: () => sleepers.length,
  };
}
