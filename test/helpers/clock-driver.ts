import type { ManualClock } from '../../src/shared/clock.ts';
import type { ModelProvider, Vendor } from '../../src/shared/provider-spec.ts';

/** Real providers that count their calls in flight, so a test knows when the bot is only waiting. */
export function countCalls(real: Record<Vendor, ModelProvider>): { providers: Record<Vendor, ModelProvider>; inFlight(): number } {
  let n = 0;
  const wrap = (p: ModelProvider): ModelProvider => ({
    vendor: p.vendor,
    listModels: (key, opts) => p.listModels(key, opts),
    async generate(req, key, opts) {
      n++;
      try {
        return await p.generate(req, key, opts);
      } finally {
        n--;
      }
    },
  });
  return { providers: { anthropic: wrap(real.anthropic), openai: wrap(real.openai), google: wrap(real.google) }, inFlight: () => n };
}

const tick = () => new Promise<void>((r) => setTimeout(r, 1));
const settle = async () => {
  for (let i = 0; i < 10; i++) await new Promise<void>((r) => setImmediate(r));
};

/**
 * Moves a manual clock to its next sleeper whenever no vendor call is in flight: every wait
 * (pacing, retry-after, backoff) passes at once in real time, while calls keep their order.
 */
export function driveClock(clock: ManualClock, busy: () => boolean): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await tick();
      if (busy()) continue;
      await settle();
      if (!busy() && clock.pending() > 0) await clock.runNext();
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
