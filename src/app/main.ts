import { pathToFileURL } from 'node:url';
import { createTerminalAdapter, type TerminalAdapter } from '../../adapters/chat/terminal/terminal-adapter.ts';
import { loadConfig, type Config } from './config.ts';
import { ConfigError } from '../errors.ts';
import { loadDotEnv } from './env-file.ts';
import { createHive } from './hive.ts';

/** `npm start`: the chat adapter that the environment configures, or the terminal. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      return 2;
    }
    throw e;
  }
  if (config.discord) {
    process.stderr.write('DISCORD_TOKEN is set, but the Discord adapter is not part of this build yet; unset DISCORD_* to continue.\n');
    return 2;
  }
  if (config.slack) return runSlack(config, config.slack);
  return runTerminal(config);
}

/** The terminal adapter on stdin/stdout; at an interactive terminal, with a prompt and line editing. */
async function runTerminal(config: Config): Promise<number> {
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  // At an interactive terminal, log lines are printed above the prompt instead of across it.
  const shown: { on?: TerminalAdapter } = {};
  const logSink = { write: (line: string) => (shown.on ? shown.on.print(line, process.stderr) : process.stderr.write(line)) };
  const hive = await createHive(config, { logFd: 2, ...(interactive ? { logSink, logPretty: true } : {}) });
  const terminal = createTerminalAdapter({ input: process.stdin, output: process.stdout, dispatcher: hive.dispatcher, prompt: interactive, log: hive.log });
  shown.on = terminal;
  // A stray rejection is one job's failure: log it and keep answering the other lines.
  process.on('unhandledRejection', (err) => hive.log.error({ err }, 'unhandled rejection'));
  const stop = () => terminal.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await terminal.run();
  await hive.close();
  return 0;
}

/** Serves Slack until SIGINT/SIGTERM, then stops intake and lets answers in flight finish. */
async function runSlack(config: Config, slack: NonNullable<Config['slack']>): Promise<number> {
  const hive = await createHive(config);
  // Loaded only here: Bolt is the heaviest import, and the terminal and the CLI never need it.
  const { createSlackAdapter } = await import('../../adapters/chat/slack/index.ts');
  const adapter = createSlackAdapter({ config: { ...slack, port: config.port, adminUserIds: config.adminUserIds }, hive });
  await adapter.start();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  hive.log.info('shutting down: no new work; finishing answers in flight');
  await adapter.stop();
  await hive.close();
  return 0;
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
