import { pathToFileURL } from 'node:url';
import { CHAT_ADAPTERS, FALLBACK_CHAT_ADAPTER } from '../../adapters/chat/registry.ts';
import type { ChatAdapter } from '../chat/chat-adapter.ts';
import { chooseChatAdapters, type ChatAdapterDefinition } from '../chat/chat-adapter-definition.ts';
import { loadConfig, type Config } from './config.ts';
import { ConfigError } from '../shared/errors.ts';
import { loadDotEnv } from './env-file.ts';
import { createLogOutlet } from '../chat/log-view.ts';
import { startDigestsOn } from './digest-wiring.ts';
import { createHive, type Hive, type HiveOptions, type QueueCore } from './hive.ts';
import { startHealthServer } from './health.ts';
import { servePages } from './pages-wiring.ts';
import { startPagesServer } from '../../adapters/web/pages-server.ts';
import { exitWhenFlushed } from './exit.ts';
import { hostname } from 'node:os';
import { createBullQueue, startBullWorker } from '../../adapters/queue/bullmq-queue.ts';
import { checkQueue } from '../../adapters/queue/queue-check.ts';
import { maskUrl } from '../../adapters/store/redis/redis-connect.ts';
import type { ChatAnswerer } from '../chat/answerer.ts';
import { createLocalQueue, type LocalQueue } from '../jobs/local-queue.ts';
import { runsLocalJobs, startLocalJobs } from './local-jobs.ts';
import { startQueueStats } from './queue-stats.ts';
import type { QueueConfig } from './config.ts';

/** `npm start`: the chat adapters the environment configures (adapters/chat/registry.ts), or the terminal. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env, CHAT_ADAPTERS);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      return 2;
    }
    throw e;
  }
  const chosen = chooseChatAdapters(CHAT_ADAPTERS, FALLBACK_CHAT_ADAPTER, config.chat);
  const refused = chosen.find((d) => d.unavailable);
  if (refused) {
    process.stderr.write(`${refused.unavailable}\n`);
    return 2;
  }
  return serve(quietAtTerminal(config, chosen, env), chosen);
}

/**
 * A person at an interactive terminal sees each job's footer, so the per-job info lines (meant for
 * operators' logs) would only repeat it between the answers: there Hive logs warnings and errors
 * unless `LOG_LEVEL` is set.
 */
function quietAtTerminal(config: Config, chosen: ChatAdapterDefinition[], env: NodeJS.ProcessEnv): Config {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return interactive && env.LOG_LEVEL === undefined && chosen.some((d) => d.stdio) ? { ...config, logLevel: 'warn' } : config;
}

/**
 * Runs this process's role until SIGINT/SIGTERM (or until a platform ends its session, like the
 * terminal at end of input): intake (the chosen adapters), queued jobs (a BullMQ worker), or both;
 * then stops intake, lets answers in flight finish, and closes.
 */
async function serve(config: Config, chosen: ChatAdapterDefinition[]): Promise<number> {
  const refusal = roleRefusal(config, chosen);
  if (refusal) {
    process.stderr.write(`${refusal}\n`);
    return 2;
  }
  const stdio = chosen.some((d) => d.stdio);
  const q = config.queue;
  if (q) await checkQueue(q.url);
  const { hive, local } = await openHive(config, chosen, stdio ? stdioLogging() : {});
  const adapters: ChatAdapter[] = [];
  if (config.role !== 'worker') for (const d of chosen) adapters.push(await d.create(hive.host, config.chat[d.name]));
  // A stray rejection (one job's, or a platform library's) is logged, and the process keeps serving everyone else.
  process.on('unhandledRejection', (err) => hive.log.error({ err }, 'unhandled rejection'));
  const jobs = q && config.role !== 'serve' ? await startJobs(hive, config, chosen, q) : local ? await startLocalJobs(hive, config, chosen, local) : undefined;
  // Before the platforms connect: alive at once (a paced Discord login can take minutes), ready once they are.
  const state = { draining: false };
  const health = config.healthPort === undefined ? undefined : await serveHealth(config.healthPort, hive, adapters, state, q ? jobs?.ping : undefined);
  const pages = await servePages({ config, pages: hive.pages, log: hive.log, platforms: chosen.map((d) => d.name) }, startPagesServer);
  for (const a of adapters) await a.start();
  if (config.role !== 'all' || q)
    hive.log.info({ role: config.role, queue: q ? maskUrl(q.url) : undefined }, `Hive ${config.role === 'all' ? 'intake and worker' : config.role} running`);
  const stopDigests =
    config.role === 'serve' ? async () => undefined : startDigestsOn(hive.startDigests, adapters.length > 0 ? adapters : [...(jobs?.answerers.values() ?? [])]);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    for (const a of adapters) void a.closed?.().then(resolve);
  });
  if (!stdio) hive.log.info('shutting down: no new work; finishing answers in flight');
  state.draining = true;
  await stopDigests();
  for (const a of adapters) await a.stop();
  await jobs?.stop();
  await health?.close();
  await pages?.close();
  await hive.close();
  return 0;
}

/**
 * Builds the bot with its intake queue: BullMQ at scale-out, the log store's own queue for one
 * process on its own that answers jobs (kept for running them here), or none.
 */
async function openHive(config: Config, chosen: readonly ChatAdapterDefinition[], logging: HiveOptions): Promise<{ hive: Hive; local?: LocalQueue }> {
  const q = config.queue;
  if (q && config.role !== 'worker')
    return { hive: await createHive(config, { ...logging, queue: (core: QueueCore) => createBullQueue({ url: q.url, ...core }) }) };
  if (!runsLocalJobs(config, chosen)) return { hive: await createHive(config, logging) };
  const hive = await createHive(config, { ...logging, queue: (core: QueueCore) => createLocalQueue({ db: core.logs, ...core }) });
  return { hive, ...(hive.queue ? { local: hive.queue } : {}) };
}

/** Why this role cannot run on these platforms (the terminal answers in its own process only), if it cannot. */
function roleRefusal(config: Config, chosen: readonly ChatAdapterDefinition[]): string | undefined {
  if (config.role === 'all') return undefined;
  const lone = chosen.find((d) => !d.createAnswerer);
  if (!lone) return undefined;
  return config.role === 'worker'
    ? 'HIVE_ROLE=worker answers Slack and Discord jobs: set the same SLACK_* or DISCORD_* variables as the intake processes.'
    : `HIVE_ROLE=serve takes requests from Slack or Discord for workers; the ${lone.name} runs in one process (unset HIVE_ROLE).`;
}

/** A worker's part: the platforms' answerers, a BullMQ worker running queued jobs through them, and the queue's depth in the logs. */
async function startJobs(hive: Hive, config: Config, chosen: readonly ChatAdapterDefinition[], q: QueueConfig) {
  const answerers = new Map<string, ChatAnswerer>();
  for (const d of chosen) if (d.createAnswerer) answerers.set(d.name, await d.createAnswerer(hive.host, config.chat[d.name]));
  if (answerers.size === 0) return undefined; // the terminal with a queue: its lines run here, no jobs to take
  const owner = `${hostname()}:${process.pid}`;
  const { sealer } = hive;
  const consumer = startBullWorker({
    url: q.url,
    sealer,
    log: hive.log,
    concurrency: q.concurrency,
    lockMs: q.lockMs,
    handler: hive.answerJobs(answerers, owner),
    onAbandoned: hive.abandonJob(answerers, owner),
  });
  // The depth is the queue's: an intake queue of this process reads it, else a connection of its own.
  const stats = hive.queue ?? createBullQueue({ url: q.url, sealer, log: hive.log });
  const stopStats = startQueueStats({ depth: () => stats.depth(), log: hive.log });
  return {
    answerers,
    ping: () => consumer.ping(),
    async stop() {
      stopStats();
      await consumer.close();
      if (stats !== hive.queue) await stats.close();
      for (const a of answerers.values()) await a.stop();
    },
  };
}

/** `/healthz` and `/readyz` (HIVE_HEALTH_PORT): the store, the log database, the queue and every platform connection. */
function serveHealth(port: number, hive: Hive, adapters: readonly ChatAdapter[], state: { draining: boolean }, jobsPing?: () => Promise<boolean>) {
  return startHealthServer({
    port,
    ...(hive.host.config.http ? { limits: hive.host.config.http } : {}),
    log: hive.log,
    draining: () => state.draining,
    checks: () => [
      ...hive.readiness(),
      // A process on its own keeps its jobs in the log store, which `logs` checks already.
      ...(hive.queue && hive.config.queue ? [{ name: 'queue', check: () => hive.queue!.ping() }] : []),
      ...(jobsPing ? [{ name: 'worker', check: jobsPing }] : []),
      ...adapters.map((a) => ({ name: a.name, check: () => a.ready?.() ?? true })),
    ],
  });
}

/** An adapter on stdin/stdout keeps stdout for answers: logs go to stderr, and at an interactive terminal they are printed above the prompt. */
function stdioLogging(): HiveOptions {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  // At an interactive terminal, log lines are shown above the prompt by the terminal; until it runs, on stderr.
  const logOutlet = createLogOutlet((line) => void process.stderr.write(line));
  return { logFd: 2, ...(interactive ? { logOutlet, logPretty: true } : {}) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  // Exit only once stdout and stderr have delivered everything: a pipe to a slow reader would lose answers.
  main().then(
    (code) => exitWhenFlushed(code),
    (err: unknown) => {
      process.stderr.write(`Hive failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      return exitWhenFlushed(1);
    },
  );
}
