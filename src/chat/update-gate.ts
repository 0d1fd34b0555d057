import { systemClock, type Clock } from '../shared/clock.ts';

/**
 * Serialises writes to one chat message and spaces them at least `intervalMs` apart, so a
 * streaming answer respects the platform's edit rate (Slack's `chat.update`: about one a second) and never lands out of order.
 */
export interface UpdateGate {
  /** Latest wins: intermediate writes offered while waiting are dropped. */
  offer(write: () => Promise<void>): void;
  /** Runs after every earlier write, at the next free slot; rejects if `write` does. */
  final<T>(write: () => Promise<T>): Promise<T>;
  /** Resolves once queued writes have run. */
  idle(): Promise<void>;
}

/** One gate per message: `offer` for intermediate states, `final` for the write that must land. */
export function createUpdateGate(intervalMs: number, clock: Clock = systemClock, onError: (err: unknown) => void = () => undefined): UpdateGate {
  let last = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();
  let pending: (() => Promise<void>) | undefined;
  let scheduled = false;
  const waitSlot = async () => {
    const wait = last + intervalMs - clock.now();
    if (wait > 0) await clock.sleep(wait);
  };
  const run = async <T>(write: () => Promise<T>): Promise<T> => {
    await waitSlot();
    last = clock.now();
    return write();
  };
  return {
    offer(write) {
      pending = write;
      if (scheduled) return;
      scheduled = true;
      chain = chain.then(async () => {
        await waitSlot();
        scheduled = false;
        const w = pending;
        pending = undefined;
        if (w) await run(w).catch(onError);
      });
    },
    final(write) {
      pending = undefined;
      const result = chain.then(() => run(write));
      chain = result.catch(() => undefined);
      return result;
    },
    async idle() {
      await chain;
    },
  };
}
