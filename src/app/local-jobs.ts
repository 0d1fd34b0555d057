import { hostname } from 'node:os';
import type { ChatAnswerer } from '../chat/answerer.ts';
import type { ChatAdapterDefinition } from '../chat/chat-adapter-definition.ts';
import type { JobConsumer } from '../jobs/job-queue.ts';
import type { LocalQueue } from '../jobs/local-queue.ts';
import type { Config } from './config.ts';
import type { Hive } from './hive.ts';

/** Whether this process keeps its own jobs in the log store: on its own (no queue), with a platform that can answer them later. */
export function runsLocalJobs(config: Config, chosen: readonly ChatAdapterDefinition[]): boolean {
  return config.queue === undefined && config.role === 'all' && chosen.some((d) => d.createAnswerer !== undefined);
}

/**
 * One process's jobs: the platforms' answerers (as a worker has them) and a consumer of the log
 * store's queue, which first finishes the jobs a stopped process left.
 */
export async function startLocalJobs(
  hive: Hive,
  config: Config,
  chosen: readonly ChatAdapterDefinition[],
  queue: LocalQueue,
): Promise<{ answerers: Map<string, ChatAnswerer>; ping: JobConsumer['ping']; stop(): Promise<void> }> {
  const answerers = new Map<string, ChatAnswerer>();
  for (const d of chosen) if (d.createAnswerer) answerers.set(d.name, await d.createAnswerer(hive.host, config.chat[d.name]));
  const owner = `${hostname()}:${process.pid}`;
  // Alone, no other run of a job can be alive: one that was posting when the process stopped is taken over at once.
  const tuning = { postingGraceMs: 0 };
  const consumer = queue.consume({
    handler: hive.answerJobs(answerers, owner, tuning),
    onAbandoned: hive.abandonJob(answerers, owner, tuning),
    concurrency: config.jobConcurrency,
  });
  return {
    answerers,
    ping: () => consumer.ping(),
    async stop() {
      await consumer.close();
      for (const a of answerers.values()) await a.stop();
    },
  };
}
