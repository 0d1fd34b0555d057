import type { CapturedMessages } from '../digest/captured-messages.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import type { Logger } from '../shared/log.ts';
import { HOLD_LEASE_MS, type Books } from '../money/books.ts';
import type { Store } from '../store/store.ts';
import type { Outbox } from '../jobs/outbox.ts';
import type { AnswerBook } from '../jobs/answer-book.ts';

const SWEEP_EVERY_MS = 6 * 60 * 60 * 1000;
/** After start-up has settled; a process restarted more often than every six hours still sweeps. */
const FIRST_SWEEP_MS = 60 * 1000;
const CAPTURE_SWEEP_MS = 60 * 60 * 1000;
/** Delivery records outlive their jobs (BullMQ keeps failed ones a week): a redelivery later than this runs again. */
const OUTBOX_KEEP_MS = 8 * 24 * 60 * 60 * 1000;

/**
 * Background upkeep, never on the start-up path: this process's budget holds and call starts
 * renewed, a dead process's calls in flight booked and its holds released, expired evidence
 * content and records removed, expired keyed entries (thread transcripts, dedupe claims) swept by
 * indexed range deletes. The first sweep waits `FIRST_SWEEP_MS`, so it never contends with start-up.
 */
export function startMaintenance(o: {
  store: Store;
  books: Books;
  evidence: EvidenceStore;
  /** Jobs actions may name: their texts go when evidence content does. */
  answers: Pick<AnswerBook, 'expire'>;
  captured: CapturedMessages;
  outbox: Pick<Outbox, 'prune'>;
  log: Logger;
  /** Epoch ms from the injected clock: expiry follows a test's or a replay's time. */
  now: () => number;
}): () => Promise<void> {
  const warn = (what: string) => (err: unknown) => o.log.warn({ err }, `${what} failed`);
  const holds = async () => {
    await o.books.renewHolds();
    // Before their holds lapse: a stopped call's booking takes its hold out with it.
    const stopped = await o.books.bookStoppedCalls('expired');
    if (stopped > 0) o.log.warn({ calls: stopped }, 'booked calls in flight when their process stopped, at their worst case');
    const released = await o.books.releaseExpiredHolds();
    if (released > 0) o.log.info({ released }, 'released budget holds of calls that never settled (a previous process stopped mid-call)');
  };
  const sweep = async () => {
    await o.evidence.expire(o.now());
    await o.answers.expire(o.now());
    const removed = await o.store.sweep();
    if (removed > 0) o.log.debug({ removed }, 'removed expired keyed entries');
    const delivered = await o.outbox.prune(o.now() - OUTBOX_KEEP_MS);
    if (delivered > 0) o.log.debug({ removed: delivered }, 'removed old job delivery records');
  };
  const running = new Set<Promise<void>>();
  const launch = (job: () => Promise<void>, what: string) => {
    const p = job()
      .catch(warn(what))
      .finally(() => running.delete(p));
    running.add(p);
  };
  // Captured channel text is deleted within the hour it expires, not at the six-hourly sweep.
  const captured = async () => {
    const removed = await o.captured.sweep();
    if (removed > 0) o.log.debug({ removed }, 'deleted expired digest capture');
  };
  launch(holds, 'budget hold upkeep');
  const timers: NodeJS.Timeout[] = [
    setInterval(() => launch(holds, 'budget hold upkeep'), HOLD_LEASE_MS / 3),
    setInterval(() => launch(captured, 'digest capture expiry'), CAPTURE_SWEEP_MS),
  ];
  const first = setTimeout(() => {
    launch(sweep, 'retention sweep');
    const every = setInterval(() => launch(sweep, 'retention sweep'), SWEEP_EVERY_MS);
    every.unref();
    timers.push(every);
  }, FIRST_SWEEP_MS);
  timers.push(first);
  for (const t of timers) t.unref();
  return async () => {
    timers.forEach((t) => clearTimeout(t));
    await Promise.allSettled([...running]);
  };
}
