import { setImmediate as yieldToEvents } from 'node:timers/promises';

/** Rows one retention statement changes at most: short locks, short transactions, small WAL bursts. */
export const LOG_BATCH_ROWS = 500;

/**
 * Repeats `batch` (one statement changing at most `size` rows, returning how many it changed)
 * until a batch changes fewer, letting other work run between batches. Returns the total.
 */
export async function inBatches(batch: (size: number) => Promise<number | bigint>, size = LOG_BATCH_ROWS): Promise<number> {
  let total = 0;
  for (;;) {
    const n = Number(await batch(size));
    total += n;
    if (n < size) return total;
    await yieldToEvents();
  }
}
