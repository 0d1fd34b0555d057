import type { ManualClock } from '../../src/shared/clock.ts';

/**
 * Moves a manual clock forward by `stepMs` every few real milliseconds, so paced work runs quickly
 * while every spacing it computes is measured on the manual clock alone, whatever the box's load.
 */
export function runClock(clock: ManualClock, stepMs: number): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      await clock.advance(stepMs);
      await new Promise<void>((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
