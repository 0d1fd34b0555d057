import type { ChatAnswerer } from '../chat/answerer.ts';
import type { Dispatcher } from '../chat/dispatcher.ts';
import type { Invocation } from '../chat/invocation.ts';
import type { Logger } from '../shared/log.ts';
import type { JobHandler } from '../jobs/job-queue.ts';
import type { Outbox, OutboxStart } from '../jobs/outbox.ts';
import type { QueuedJob } from '../chat/queued-job.ts';
import { newErrorId } from '../shared/ids.ts';
import type { Sealer } from '../keys/crypto.ts';
import { openReply, sealReply } from '../jobs/held-reply.ts';
import { JobAddressError } from '../chat/address-codec.ts';

export interface JobWorkerOptions {
  outbox: Outbox;
  /** Seals an answer kept for a later run (every process of an install shares the master key). */
  sealer: Sealer;
  /** The platforms this worker can answer on, by name. */
  answerers: ReadonlyMap<string, ChatAnswerer>;
  dispatcher: Dispatcher;
  log: Logger;
  /** This process's name in the outbox (which worker ran a job last). */
  owner: string;
  /** Books, as estimated, the calls an earlier run of a job left in flight when its process stopped; how many. */
  bookStopped?: (jobId: string) => Promise<number>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /**
   * How long a run posting its answer is waited for before it is taken for dead (default
   * `POSTING_GRACE_MS`); 0 in a process on its own, where no other run can be alive.
   */
  postingGraceMs?: number;
}

/** Past this, a run still posting its answer is taken for dead (a post takes seconds; the web clients give up after 15 s). */
export const POSTING_GRACE_MS = 45_000;
/** How often a run waiting on another's post looks again. */
const POSTING_POLL_MS = 2_000;

/**
 * Begins this run of the job; while another run is posting its answer, waits for that to finish
 * (then nothing is left to do) or to be overdue (then this run takes the job over).
 */
async function beginRun(o: JobWorkerOptions, job: { id: string; platform: string; workspaceId: string }, log: Logger): Promise<OutboxStart> {
  for (;;) {
    const start = await o.outbox.begin(job, o.owner, o.now() - (o.postingGraceMs ?? POSTING_GRACE_MS));
    if (start.state !== 'posting') return start;
    log.info({ postingSinceMs: o.now() - start.since }, 'another worker is posting this answer; waiting for it');
    await o.sleep(POSTING_POLL_MS);
  }
}

/**
 * Runs one queued job the way intake would have: the command through the dispatcher, the answer
 * through the platform's APIs, and the outbox consulted first, so a job handed out again after
 * its worker died (or a duplicate) never posts a second answer. An answer that could not be
 * delivered is kept in the outbox and the run fails, so the queue runs the job again later, and
 * that run delivers the kept answer instead of asking the model again.
 */
export function createJobHandler(o: JobWorkerOptions): JobHandler {
  return async (job, attempt) => {
    const log = o.log.child({ jobId: job.id, platform: job.platform, workspaceId: job.workspaceId, command: job.command });
    const answerer = o.answerers.get(job.platform);
    if (!answerer) throw new Error(`this worker does not run ${job.platform}: configure it on every worker`);
    const start = await beginRun(o, job, log);
    if (start.state === 'sent') {
      log.info('job already answered; nothing posted again');
      return;
    }
    const queuedMs = o.now() - job.enqueuedAt;
    if (start.state === 'resumed') {
      log.warn({ attempts: start.attempts, stalled: attempt.stalled, posted: start.ref !== undefined }, 'resuming a job another run left unfinished');
      await bookLeftCalls(o, job.id, log);
    }
    const inv = await unlessUnanswerable(
      answerer.resume(job, {
        resumed: start.state === 'resumed',
        ...(start.state === 'resumed' && start.ref ? { ref: start.ref } : {}),
        posted: (ref) => o.outbox.posted(job.id, ref, o.owner),
      }),
      log,
    );
    if (!inv) return;
    inv.jobId = job.id;
    const delivery = guardAnswer(inv, job.id, o, log);
    const began = o.now();
    const held = start.state === 'resumed' && start.held ? openReply(o.sealer, job.id, start.held) : undefined;
    if (held) {
      log.info('delivering the answer an earlier run did not finish delivering');
      await inv.respond(held);
    } else await o.dispatcher.handle(inv, { queuedMs });
    delivery.check();
    // The dispatcher logged the job's one info line (lane, models, cost, evidence); this is the run's.
    log.debug({ queuedMs, runMs: o.now() - began }, 'job run finished');
  };
}

/**
 * A job the queue gave up on (its workers kept dying, or its runs failed): the user hears that it
 * failed, with an id, instead of waiting for ever; nothing is said if its answer went out. With
 * the log store away too, the user is told all the same: silence is the worse mistake.
 */
export function createAbandonedReply(o: JobWorkerOptions): (job: QueuedJob, reason: string) => Promise<void> {
  return async (job, reason) => {
    const answerer = o.answerers.get(job.platform);
    if (!answerer) return void o.log.error({ jobId: job.id, reason }, 'job given up on a platform this process does not run');
    const start = await beginRun(o, job, o.log).catch(
      (err: unknown) => void o.log.warn({ err, jobId: job.id }, 'delivery record unreadable; telling the user anyway'),
    );
    if (start?.state === 'sent') return;
    if (start?.state === 'resumed') await bookLeftCalls(o, job.id, o.log);
    const errorId = newErrorId();
    o.log.error({ jobId: job.id, errorId, reason }, 'job given up; telling the user');
    const inv = await unlessUnanswerable(
      answerer.resume(job, {
        resumed: true,
        ...(start?.state === 'resumed' && start.ref ? { ref: start.ref } : {}),
        posted: (ref) => o.outbox.posted(job.id, ref, o.owner).catch(() => undefined),
      }),
      o.log,
    );
    if (!inv) return;
    const delivery = start ? guardAnswer(inv, job.id, o, o.log) : undefined;
    await inv.respond({ text: `Something went wrong on our side (error ${errorId}). Please ask again.`, visibility: 'private', tone: 'error', errorId });
    delivery?.check();
  };
}

/**
 * A job whose reply address cannot be read (another platform's, an older intake's, damaged) can
 * never be answered: it is logged once and ends, instead of being run again and again by the queue.
 */
async function unlessUnanswerable(resuming: Promise<Invocation>, log: Logger): Promise<Invocation | undefined> {
  try {
    return await resuming;
  } catch (err) {
    if (!(err instanceof JobAddressError)) throw err;
    log.error({ err, errorId: newErrorId() }, 'queued job dropped: its reply address cannot be read, so nobody can be answered');
    return undefined;
  }
}

/**
 * Books what an earlier run of the job had in flight when its process stopped (the vendor served and
 * billed it, nobody booked it), so usage shows it; if that fails now, the periodic sweep books it later.
 */
async function bookLeftCalls(o: Pick<JobWorkerOptions, 'bookStopped'>, jobId: string, log: Logger): Promise<void> {
  try {
    const calls = (await o.bookStopped?.(jobId)) ?? 0;
    if (calls > 0) log.warn({ calls }, 'booked the calls an earlier run left in flight at their worst case: the process running them stopped');
  } catch (err) {
    log.warn({ err }, 'could not book the calls an earlier run left in flight; the periodic sweep books them');
  }
}

/**
 * The answer goes out only while this worker still holds the job: a worker whose lock lapsed
 * (a stalled event loop) while another took the job over leaves the answer to that one. The
 * answer is kept (sealed) with the right to post, so a run that takes over a post cut short (a
 * kill, a failed delivery) delivers the same answer instead of asking the model again; a failed
 * delivery is reported by `check`.
 */
function guardAnswer(inv: Invocation, jobId: string, o: Pick<JobWorkerOptions, 'outbox' | 'owner' | 'sealer'>, log: Logger): { check(): void } {
  const respond = inv.respond;
  let failure: unknown;
  inv.respond = async (reply) => {
    const sealed = sealReply(o.sealer, jobId, reply);
    if (!(await o.outbox.claimPost(jobId, o.owner, sealed).catch((err: unknown) => void (failure = err)))) {
      if (failure) throw failure;
      return log.warn({ jobId }, 'another worker took this job over; leaving the answer to it');
    }
    try {
      await respond(reply);
    } catch (err) {
      failure = err;
      await o.outbox
        .hold(jobId, o.owner, sealReply(o.sealer, jobId, reply))
        .catch((e: unknown) => log.warn({ err: e }, 'could not keep the undelivered answer'));
      throw err;
    }
    await o.outbox.sent(jobId).catch((err: unknown) => log.error({ err, jobId }, 'answer delivered but not recorded as sent'));
  };
  return {
    check() {
      if (failure !== undefined) throw failure;
    },
  };
}
