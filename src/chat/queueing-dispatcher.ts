import { newErrorId } from '../evidence/ids.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { QueuedJob } from '../jobs/queued-job.ts';
import type { Logger } from '../log.ts';
import type { CommandCatalog } from './command-catalog.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Invocation } from './invocation.ts';

/**
 * Intake's dispatcher at scale-out: a model job a worker can answer (the platform gave a reply
 * address) goes on the queue; quick verbs, unknown ones and platforms without addresses run here.
 */
export function createQueueingDispatcher(o: { local: Dispatcher; queue: JobQueue; commands: CommandCatalog; log: Logger; now: () => number }): Dispatcher {
  const adding = new Set<Promise<void>>();
  const enqueue = async (inv: Invocation, q: { id: string; address: QueuedJob['address'] }) => {
    try {
      await o.queue.add(queuedOf(inv, q, o.now()));
    } catch (err) {
      const errorId = newErrorId();
      o.log.error({ err, errorId, platform: inv.platform, workspaceId: inv.workspaceId }, 'could not queue a job');
      const text = `Hive could not take this on right now (error ${errorId}). Try again in a minute; an admin can find the details in the logs.`;
      await inv.respond({ text, visibility: 'private', tone: 'error', errorId }).catch((e: unknown) => o.log.error({ err: e }, 'could not deliver a reply'));
    }
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

function queuedOf(inv: Invocation, q: { id: string; address: QueuedJob['address'] }, now: number): QueuedJob {
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
    address: q.address,
    enqueuedAt: now,
  };
}
