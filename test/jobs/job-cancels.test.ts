import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { CANCEL_POLL_MS, createJobCancels } from '../../src/jobs/job-cancels.ts';

const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), sink: { write: () => undefined } });

/** The answer book's cancel column, shared by every process of an install, with a count of its reads. */
function sharedRows() {
  const cancelBy = new Map<string, string>();
  const state = new Map<string, string>([['job1', 'running']]);
  let reads = 0;
  return {
    reads: () => reads,
    book: {
      async requestCancel(ref: string, by: string) {
        if (cancelBy.has(ref) || !['running', 'held'].includes(state.get(ref) ?? '')) return false;
        cancelBy.set(ref, by);
        return true;
      },
      async cancelledBy(ref: string) {
        reads++;
        return cancelBy.get(ref);
      },
    },
  };
}

describe('job cancels across processes', () => {
  it('GIVEN a cancel asked on another process THEN the running job aborts within one poll, and a job done sooner read nothing', async () => {
    const rows = sharedRows();
    const clock = createManualClock();
    const worker = createJobCancels({ book: rows.book, clock, log });
    const intake = createJobCancels({ book: rows.book, clock, log });
    const watch = worker.watch('job1');
    expect(rows.reads()).toBe(0);
    expect(await intake.request('job1', 'U1')).toBe(true);
    expect(watch.signal.aborted).toBe(false); // another process: only the poll can tell
    await clock.advance(CANCEL_POLL_MS);
    await expect.poll(() => watch.signal.aborted).toBe(true);
    expect(watch.by()).toBe('U1');
    watch.stop();
    expect(await intake.request('job1', 'U2')).toBe(false); // asked once
  });

  it('GIVEN a cancel asked on the process running the job THEN it aborts at once; a stopped watch stops polling', async () => {
    const rows = sharedRows();
    const clock = createManualClock();
    const cancels = createJobCancels({ book: rows.book, clock, log });
    const watch = cancels.watch('job1');
    await cancels.request('job1', 'U1');
    expect(watch.signal.aborted).toBe(true);
    watch.stop();
    const quiet = cancels.watch('job2');
    quiet.stop();
    await clock.advance(CANCEL_POLL_MS * 4);
    expect(rows.reads()).toBe(0);
  });
});
