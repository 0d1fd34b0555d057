import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';
import { countCalls, driveClock } from './clock-driver.ts';
import { startHarness, type Harness, type HarnessOptions } from './hive-harness.ts';

/** A whole bot on a manual clock that jumps to the next wait whenever no vendor call is in flight. */
export interface DrivenHarness {
  h: Harness;
  clock: ManualClock;
  /** Stops the clock driver, then the bot. */
  close(): Promise<void>;
}

/** Starts it at `start` (ms); `vendors` get the bot's clock, for fakes that rate-limit on it. */
export async function startDrivenHarness(start: number, vendors: (now: () => number) => HarnessOptions['vendors']): Promise<DrivenHarness> {
  const clock = createManualClock(start);
  let calls: ReturnType<typeof countCalls> | undefined;
  const h = await startHarness({ vendors: vendors(() => clock.now()), clock, wrapProviders: (real) => (calls = countCalls(real)).providers });
  const driver = driveClock(clock, () => (calls?.inFlight() ?? 0) > 0);
  return {
    h,
    clock,
    async close() {
      await driver.stop();
      await h.close();
    },
  };
}
