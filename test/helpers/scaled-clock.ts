import type { Clock } from '../../src/shared/clock.ts';

/** A clock running `scale` times faster than real time: a 7 s retry-after passes in 7 ms. */
export interface RecordingClock extends Clock {
  /** Every sleep asked for, in virtual milliseconds. */
  sleeps: number[];
}

export function createScaledClock(scale: number): RecordingClock {
  const r0 = Date.now();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => r0 + (Date.now() - r0) * scale,
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, Math.max(0, ms / scale));
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
      });
    },
  };
}
