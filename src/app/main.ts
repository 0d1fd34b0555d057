import { pathToFileURL } from 'node:url';
import { CHAT_ADAPTERS, FALLBACK_CHAT_ADAPTER } from '../../adapters/chat/registry.ts';
import type { ChatAdapter } from '../chat/chat-adapter.ts';
import { chooseChatAdapters, type ChatAdapterDefinition } from '../chat/chat-adapter-definition.ts';
import { loadConfig, type Config } from './config.ts';
import { ConfigError } from '../errors.ts';
import { loadDotEnv } from './env-file.ts';
import { createHive, type Hive, type HiveOptions } from './hive.ts';
import { startHealthServer } from './health.ts';

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
  return serve(config, chosen);
}

/**
 * Runs the chosen adapters until SIGINT/SIGTERM (or until one ends its session, like the terminal at
 * end of input), then stops intake and lets answers in flight finish.
 */
async function serve(config: Config, chosen: ChatAdapterDefinition[]): Promise<number> {
  const stdio = chosen.some((d) => d.stdio);
  const shown: { on?: ChatAdapter } = {};
  const hive = await createHive(config, stdio ? stdioLogging(shown) : {});
  const adapters: ChatAdapter[] = [];
  for (const d of chosen) adapters.push(await d.create(hive.host, config.chat[d.name]));
  shown.on = adapters.find((a) => a.showLog);
  // A stray rejection is one job's failure: log it and keep answering the other lines.
  if (stdio) process.on('unhandledRejection', (err) => hive.log.error({ err }, 'unhandled rejection'));
  // Before the platforms connect: alive at once (a paced Discord login can take minutes), ready once they are.
  const state = { draining: false };
  const health = config.healthPort === undefined ? undefined : await serveHealth(config.healthPort, hive, adapters, state);
  for (const a of adapters) await a.start();
  const stopDigests = startDigestsOn(hive, adapters);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    for (const a of adapters) void a.closed?.().then(resolve);
  });
  if (!stdio) hive.log.info('shutting down: no new work; finishing answers in flight');
  state.draining = true;
  await stopDigests();
  for (const a of adapters) await a.stop();
  await health?.close();
  await hive.close();
  return 0;
}

/** `/healthz` and `/readyz` (HIVE_HEALTH_PORT): the store, the log database and every platform connection. */
function serveHealth(port: number, hive: Hive, adapters: readonly ChatAdapter[], state: { draining: boolean }) {
  return startHealthServer({
    port,
    log: hive.log,
    draining: () => state.draining,
    checks: () => [...hive.readiness(), ...adapters.map((a) => ({ name: a.name, check: () => a.ready?.() ?? true }))],
  });
}

/** Scheduled digests posted, and backfills read, through the platforms this process runs. */
function startDigestsOn(hive: Hive, adapters: readonly ChatAdapter[]): () => Promise<void> {
  const find = (platform: string) => adapters.find((x) => x.name === platform);
  return hive.startDigests(
    async (platform, target, reply) => {
      const a = find(platform);
      if (a) await a.post(target, reply);
      return a !== undefined;
    },
    (platform) => find(platform) !== undefined,
    {
      history: (platform) => {
        const a = find(platform);
        return a?.history ? { read: (t, since, cursor) => a.history!(t, since, cursor), paceMs: a.historyPaceMs ?? 1_000 } : undefined;
      },
    },
  );
}

/** An adapter on stdin/stdout keeps stdout for answers: logs go to stderr, and at an interactive terminal they are printed above the prompt. */
function stdioLogging(shown: { on?: ChatAdapter }): HiveOptions {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const logSink = { write: (line: string) => (shown.on?.showLog ? shown.on.showLog(line) : void process.stderr.write(line)) };
  return { logFd: 2, ...(interactive ? { logSink, logPretty: true } : {}) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`Hive failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
