import { pathToFileURL } from 'node:url';
import { CHAT_ADAPTERS, FALLBACK_CHAT_ADAPTER } from '../../adapters/chat/registry.ts';
import type { ChatAdapter } from '../chat/chat-adapter.ts';
import { chooseChatAdapters, type ChatAdapterDefinition } from '../chat/chat-adapter-definition.ts';
import { loadConfig, type Config } from './config.ts';
import { ConfigError } from '../errors.ts';
import { loadDotEnv } from './env-file.ts';
import { createHive, type HiveOptions } from './hive.ts';

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
  for (const a of adapters) await a.start();
  const stopDigests = hive.startDigests(
    async (platform, target, reply) => {
      const a = adapters.find((x) => x.name === platform);
      if (a) await a.post(target, reply);
      return a !== undefined;
    },
    (platform) => adapters.some((x) => x.name === platform),
    {
      history: (platform) => {
        const a = adapters.find((x) => x.name === platform);
        return a?.history ? { read: (t, since, cursor) => a.history!(t, since, cursor), paceMs: a.historyPaceMs ?? 1_000 } : undefined;
      },
    },
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    for (const a of adapters) void a.closed?.().then(resolve);
  });
  if (!stdio) hive.log.info('shutting down: no new work; finishing answers in flight');
  await stopDigests();
  for (const a of adapters) await a.stop();
  await hive.close();
  return 0;
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
