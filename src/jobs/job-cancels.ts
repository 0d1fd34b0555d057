import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { AnswerBook } from './answer-book.ts';

/** How often a running job reads its row for a cancel asked on another process: well inside the 2 s a user waits. */
export const CANCEL_POLL_MS = 500;

/** One running job's watch: its signal aborts once anyone allowed asks for a cancel. */
export interface CancelWatch {
  signal: AbortSignal;
  /** Who asked, once the job was cancelled. */
  by(): string | undefined;
  stop(): void;
}

/**
 * Cancels of running jobs. A cancel is written to the answer book, so the process running the job
 * sees it within a poll wherever it was asked (another worker, the intake); on the same process it
 * aborts at once.
 */
export interface JobCancels {
  watch(ref: string): CancelWatch;
  /** Records a cancel and aborts the job here if this process runs it; false when it is not running or held. */
  request(ref: string, by: string): Promise<boolean>;
}

export interface JobCancelsOptions {
  book: Pick<AnswerBook, 'requestCancel' | 'cancelledBy'>;
  clock: Clock;
  log: Logger;
  pollMs?: number;
}

export function createJobCancels(o: JobCancelsOptions): JobCancels {
  const local = new Map<string, { abort(by: string): void }>();
  const pollMs = o.pollMs ?? CANCEL_POLL_MS;
  return {
    watch(ref) {
      const controller = new AbortController();
      const stopped = new AbortController();
      let by: string | undefined;
      const abort = (who: string) => {
        if (controller.signal.aborted) return;
        by = who;
        controller.abort('cancelled');
      };
      local.set(ref, { abort });
      void poll(o, ref, pollMs, stopped.signal, abort);
      return {
        signal: controller.signal,
        by: () => by,
        stop() {
          stopped.abort('done');
          if (local.get(ref)?.abort === abort) local.delete(ref);
        },
      };
    },
    async request(ref, by) {
      const asked = await o.book.requestCancel(ref, by, o.clock.now());
      if (asked) local.get(ref)?.abort(by);
      return asked;
    },
  };
}

/** Reads the job's row until it is cancelled or the watch stops; a failed read is logged and tried at the next poll. */
async function poll(o: JobCancelsOptions, ref: string, pollMs: number, stopped: AbortSignal, abort: (by: string) => void): Promise<void> {
  // The first read waits a poll: a job done sooner costs no read at all.
  while (!stopped.aborted) {
    try {
      await o.clock.sleep(pollMs, stopped);
    } catch {
      return;
    }
    try {
      const by = await o.book.cancelledBy(ref);
      if (by !== undefined && !stopped.aborted) return abort(by);
    } catch (err) {
      o.log.warn({ err, ref }, 'could not read whether a job was cancelled');
    }
  }
}
