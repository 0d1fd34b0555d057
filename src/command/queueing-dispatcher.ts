import { newErrorId } from '../shared/ids.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { QueuedJob } from '../chat/queued-job.ts';
import type { Logger } from '../shared/log.ts';
import type { CommandCatalog, Dispatcher } from '../chat/dispatcher.ts';
import type { Invocation } from '../chat/invocation.ts';

/** The first pause before a failed add is tried again; doubled up to `MAX_ADD_PAUSE_MS`. */
const FIRST_ADD_PAUSE_MS = 250;
const MAX_ADD_PAUSE_MS = 5_000;

export interface QueueingDispatcherOptions {
  local: Dispatcher;
  queue: JobQueue;
  commands: CommandCatalog;
  log: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** How long an add is tried again while the queue is away before the user is told (`HIVE_OUTAGE_WAIT_MS`). */
  waitMs: number;
}

/**
 * Intake's dispatcher when jobs are queued (BullMQ at scale-out, the log store for one process):
 * a model job a worker can answer (the platform gave a reply address) goes on the queue; quick
 * verbs, unknown ones and platforms without addresses run here. While the queue is away an add is
 * tried again with backoff, then the user hears that the job could not be taken on, with an id.
 */
export function createQueueingDispatcher(o: QueueingDispatcherOptions): Dispatcher {
  const adding = new Set<Promise<void>>();
  const enqueue = async (inv: Invocation, q: Pick<QueuedJob, 'id' | 'address' | 'addressFormat'>) => {
    const job = queuedOf(inv, q, o.now());
    const err = await addUntilBack(o, job);
    if (err === undefined) return;
    const errorId = newErrorId();
    o.log.error({ err, errorId, platform: inv.platform, workspaceId: inv.workspaceId }, 'could not queue a job');
    const text = `Hive could not take this on right now (error ${errorId}). Try again in a minute; an admin can find the details in the logs.`;
    await inv.respond({ text, visibility: 'private', tone: 'error', errorId }).catch((e: unknown) => o.log.error({ err: e }, 'could not deliver a reply'));
  };
  return {
    handle(inv) {
      const traits = o.commands.find(inv.command);
      const q = traits && !traits.quick ? inv.queue?.() : undefined;
      if (!q) return o.local.handle(inv);
      const p = enqueue(inv, q).finally(() => adding.delete(p));
      adding.add(p);
      return p;
    },
    async drain() {
      while (adding.size > 0) await Promise.allSettled([...adding]);
      await o.local.drain();
    },
  };
}

/** Adds the job, again after a growing pause while the queue fails, for up to `waitMs`; the last error if it never took it. */
async function addUntilBack(o: QueueingDispatcherOptions, job: QueuedJob): Promise<unknown> {
  const since = o.now();
  let pause = FIRST_ADD_PAUSE_MS;
  for (;;) {
    try {
      await o.queue.add(job);
      return undefined;
    } catch (err) {
      if (o.now() - since + pause > o.waitMs) return err;
      if (pause === FIRST_ADD_PAUSE_MS) o.log.warn({ err, jobId: job.id }, 'the job queue is not answering; trying again');
      await o.sleep(pause);
      pause = Math.min(MAX_ADD_PAUSE_MS, pause * 2);
    }
  }
}

function queuedOf(inv: Invocation, q: Pick<QueuedJob, 'id' | 'address' | 'addressFormat'>, now: number): QueuedJob {
  return {
    id: q.id,
    platform: inv.platform,
    workspaceId: inv.workspaceId,
    channelId: inv.channelId,
    userId: inv.userId,
    ...(inv.threadId ? { threadId: inv.threadId } : {}),
    command: inv.command,
    text: inv.text,
    ...(inv.context ? { context: inv.context } : {}),
    // Descriptions only (sealed with the job); the worker's platform reads the bytes again.
    ...(inv.attachments && inv.attachments.length > 0 ? { attachments: inv.attachments } : {}),
    address: q.address,
    ...(q.addressFormat ? { addressFormat: q.addressFormat } : {}),
    enqueuedAt: now,
  };
}
