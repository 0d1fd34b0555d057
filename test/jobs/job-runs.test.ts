import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import type { ChatAnswerer } from '../../src/chat/answerer.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import { createManualClock, type ManualClock } from '../../src/shared/clock.ts';
import { JOB_ATTEMPTS } from '../../src/jobs/job-queue.ts';
import { createAbandonedReply, createJobHandler, type JobWorkerOptions } from '../../src/command/job-worker.ts';
import { createLocalQueue } from '../../src/jobs/local-queue.ts';
import { createOutbox, type Outbox } from '../../src/jobs/outbox.ts';
import { sealReply } from '../../src/jobs/held-reply.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { createSealer } from '../../src/keys/crypto.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { createLogger } from '../../src/shared/log.ts';
import type { LogDb } from '../../src/store/log-db.ts';

const log = createLogger({ level: 'silent', secrets: createSecretRegistry([]), fd: 2, pretty: false });
const sealer = createSealer(randomBytes(32));
const opened: LogDb[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.destroy()));
});
const openDb = async () => {
  const db = await openLogDb('memory://');
  opened.push(db);
  return db;
};

const job = (n: number): QueuedJob => ({
  id: `slack:slash:trig.${n}`,
  platform: 'slack',
  workspaceId: 'slack:T1',
  channelId: 'C1',
  userId: 'U1',
  command: 'ask',
  text: `question ${n}`,
  address: { kind: 'slash' },
  enqueuedAt: 1_000,
});

/** A platform whose deliveries can be made to fail; it records what reached it. */
function platform(o: { failDeliveries?: number } = {}) {
  let failures = o.failDeliveries ?? 0;
  const delivered: { jobId: string; text: string }[] = [];
  const answerer: ChatAnswerer = {
    name: 'slack',
    post: async () => ({ workspaceId: 'slack:T1', channelId: 'C1', messageId: '1' }),
    edit: async () => undefined,
    stop: async () => undefined,
    async resume(j) {
      return {
        platform: 'slack',
        workspaceId: j.workspaceId,
        channelId: j.channelId,
        userId: j.userId,
        command: j.command,
        text: j.text,
        isAdmin: async () => false,
        respond: async (reply: Reply) => {
          if (failures-- > 0) throw new Error('slack_webapi_request_error: connect ECONNREFUSED');
          delivered.push({ jobId: j.id, text: reply.text });
        },
      };
    },
  };
  return { answerer, delivered };
}

/** The dispatcher as a command would run: one answer per invocation, counted. */
function answering(): Dispatcher & { runs: string[] } {
  const runs: string[] = [];
  return {
    runs,
    async handle(inv: Invocation) {
      runs.push(inv.text);
      try {
        await inv.respond({ text: `answer to ${inv.text}`, visibility: 'channel' });
      } catch {
        // the dispatcher logs a failed delivery and carries on, as the real one does
      }
    },
    drain: async () => undefined,
  };
}

function workerOptions(outbox: Outbox, answerer: ChatAnswerer, dispatcher: Dispatcher, clock: ManualClock): JobWorkerOptions {
  return {
    outbox,
    sealer,
    answerers: new Map([['slack', answerer]]),
    dispatcher,
    log,
    owner: 'here',
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    postingGraceMs: 0,
  };
}

describe('a job run whose answer cannot be delivered', () => {
  it('GIVEN the platform refuses the answer THEN the run fails, and the next run delivers the kept answer without asking again', async () => {
    const clock = createManualClock(5_000);
    const outbox = createOutbox(await openDb(), () => clock.now());
    const p = platform({ failDeliveries: 1 });
    const dispatcher = answering();
    const handle = createJobHandler(workerOptions(outbox, p.answerer, dispatcher, clock));
    await expect(handle(job(1), { stalled: 0 })).rejects.toThrow(/ECONNREFUSED/);
    expect(p.delivered).toEqual([]);
    await handle(job(1), { stalled: 0 });
    expect(p.delivered).toEqual([{ jobId: job(1).id, text: 'answer to question 1' }]);
    expect(dispatcher.runs).toEqual(['question 1']);
    // Delivered: a duplicate of the job posts nothing more.
    await handle(job(1), { stalled: 0 });
    expect(p.delivered).toHaveLength(1);
  });

  it('GIVEN a run killed while posting its answer THEN the run that takes over delivers that same answer without asking again', async () => {
    const clock = createManualClock(5_000);
    const outbox = createOutbox(await openDb(), () => clock.now());
    await outbox.begin(job(6), 'killed', 0);
    await outbox.claimPost(job(6).id, 'killed', sealReply(sealer, job(6).id, { text: 'the first answer', visibility: 'channel' }));
    const p = platform();
    const dispatcher = answering();
    await createJobHandler(workerOptions(outbox, p.answerer, dispatcher, clock))(job(6), { stalled: 1 });
    expect(p.delivered).toEqual([{ jobId: job(6).id, text: 'the first answer' }]);
    expect(dispatcher.runs).toEqual([]);
  });

  it('GIVEN a job given up with its delivery record unreadable THEN the user is told all the same', async () => {
    const clock = createManualClock(5_000);
    const db = await openDb();
    const outbox = createOutbox(db, () => clock.now());
    await db.destroy();
    opened.splice(opened.indexOf(db), 1);
    const p = platform();
    await createAbandonedReply(workerOptions(outbox, p.answerer, answering(), clock))(job(2), 'its runs kept failing');
    expect(p.delivered).toHaveLength(1);
    expect(p.delivered[0]!.text).toMatch(/Something went wrong on our side \(error \w+\)/);
  });
});

describe('the queue of one process, in the log store', () => {
  /** Runs the consumer until `done` holds, moving the clock over every retry's wait. */
  async function until(clock: ManualClock, done: () => boolean): Promise<void> {
    for (let i = 0; i < 1_000 && !done(); i++) if (!(await clock.runNext())) await new Promise((r) => setTimeout(r, 5));
    expect(done()).toBe(true);
  }

  it('GIVEN a job whose runs fail twice THEN it is run again after a wait until it is answered, and its row is gone', async () => {
    const clock = createManualClock(5_000);
    const db = await openDb();
    const outbox = createOutbox(db, () => clock.now());
    const p = platform({ failDeliveries: 2 });
    const dispatcher = answering();
    const queue = createLocalQueue({ db, sealer, log, clock });
    const o = workerOptions(outbox, p.answerer, dispatcher, clock);
    const consumer = queue.consume({ handler: createJobHandler(o), onAbandoned: createAbandonedReply(o), concurrency: 4 });
    await queue.add(job(3));
    await queue.add(job(3)); // a redelivered event: one job
    await until(clock, () => p.delivered.length === 1);
    await consumer.close();
    expect(p.delivered).toEqual([{ jobId: job(3).id, text: 'answer to question 3' }]);
    expect(dispatcher.runs).toEqual(['question 3']);
    expect(clock.now()).toBeGreaterThanOrEqual(5_000 + 2_000 + 4_000);
    expect((await queue.depth()).waiting).toBe(0);
  });

  it('GIVEN jobs a stopped process left THEN the next consumer runs them, and one that already began too often is given up and its user told', async () => {
    const clock = createManualClock(5_000);
    const db = await openDb();
    const left = createLocalQueue({ db, sealer, log, clock });
    await left.add(job(4));
    await left.add(job(5));
    await db.updateTable('local_jobs').set({ runs: JOB_ATTEMPTS }).where('job_id', '=', job(5).id).execute();
    const p = platform();
    const dispatcher = answering();
    const o = workerOptions(
      createOutbox(db, () => clock.now()),
      p.answerer,
      dispatcher,
      clock,
    );
    const queue = createLocalQueue({ db, sealer, log, clock });
    const consumer = queue.consume({ handler: createJobHandler(o), onAbandoned: createAbandonedReply(o), concurrency: 4 });
    await until(clock, () => p.delivered.length === 2);
    await consumer.close();
    expect(dispatcher.runs).toEqual(['question 4']);
    expect(p.delivered.find((d) => d.jobId === job(4).id)?.text).toBe('answer to question 4');
    expect(p.delivered.find((d) => d.jobId === job(5).id)?.text).toMatch(/Something went wrong on our side \(error \w+\)/);
    expect((await queue.depth()).waiting).toBe(0);
  });

  it('GIVEN more jobs than its concurrency THEN no more run at once, and all are answered', async () => {
    const clock = createManualClock(5_000);
    const db = await openDb();
    let running = 0;
    let most = 0;
    const p = platform();
    const slow: Dispatcher = {
      async handle(inv) {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        await inv.respond({ text: 'ok', visibility: 'channel' });
      },
      drain: async () => undefined,
    };
    const o = workerOptions(
      createOutbox(db, () => clock.now()),
      p.answerer,
      slow,
      clock,
    );
    const queue = createLocalQueue({ db, sealer, log, clock });
    const consumer = queue.consume({ handler: createJobHandler(o), onAbandoned: createAbandonedReply(o), concurrency: 3 });
    for (let n = 10; n < 30; n++) await queue.add(job(n));
    await consumer.close();
    expect(p.delivered).toHaveLength(20);
    expect(most).toBe(3);
  });
});
