import type { QueueDepth } from '../jobs/job-queue.ts';
import type { Logger } from '../shared/log.ts';

/** How often a worker logs the queue's depth while there is work. */
export const QUEUE_STATS_MS = 30_000;

/**
 * Logs the queue's depth every interval while jobs wait or run (and once when it empties), so an
 * operator sees a backlog building without a dashboard; an idle queue logs nothing.
 */
export function startQueueStats(o: { depth(): Promise<QueueDepth>; log: Logger; everyMs?: number }): () => void {
  let wasBusy = false;
  const tick = async () => {
    try {
      const d = await o.depth();
      const busy = d.waiting + d.active + d.delayed > 0;
      if (busy || wasBusy) o.log.info({ queue: d }, busy ? 'queue depth' : 'queue empty');
      wasBusy = busy;
    } catch (err) {
      o.log.warn({ err }, 'could not read the queue depth');
    }
  };
  const timer = setInterval(() => void tick(), o.everyMs ?? QUEUE_STATS_MS);
  timer.unref();
  return () => clearInterval(timer);
}
