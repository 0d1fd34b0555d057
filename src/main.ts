import { pathToFileURL } from 'node:url';
import { createAnthropicProvider } from '../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../adapters/models/google.ts';
import { createOpenAIProvider } from '../adapters/models/openai.ts';
import { createTerminalAdapter, type TerminalAdapter } from '../adapters/chat/terminal/terminal-adapter.ts';
import { createCommands } from '../commands/index.ts';
import type { HiveContext } from './command.ts';
import { configSecrets, loadConfig, type Config } from './config.ts';
import { createDispatcher, type Dispatcher } from './dispatch.ts';
import { ConfigError } from './errors.ts';
import { createEvidenceStore, type EvidenceStore } from './evidence.ts';
import { createJobRunner } from './jobs.ts';
import { createKeyService, type KeyService } from './keys.ts';
import { createLedger, type Ledger } from './ledger.ts';
import { createLogger, type Logger } from './log.ts';
import { loadMasterKey } from './master-key.ts';
import { createSecretRegistry, type SecretRegistry } from './secrets.ts';
import { createStore, type Store } from './store.ts';
import type { ModelProvider, Vendor } from './types.ts';
import { createKeyVault } from './vault.ts';
import { loadDotEnv } from './env-file.ts';
import { createWriteBehind } from './write-behind.ts';
import { createSealer, type Sealer } from './crypto.ts';
import { createSettings } from './settings.ts';
import { systemClock, type Clock } from './clock.ts';
import { createVendorLanes } from './vendor-lanes.ts';
import { createExecutor } from './executor.ts';
import { createCooldowns } from './cooldown.ts';
import { createConsensusRunner, type ConsensusTuning } from './consensus/runner.ts';

/** The assembled bot: every core service wired to the vendor adapters, ready for a chat adapter. */
export interface Hive {
  config: Config;
  log: Logger;
  secrets: SecretRegistry;
  /** Encrypts other secrets at rest (e.g. chat installations) with the master key. */
  sealer: Sealer;
  store: Store;
  keys: KeyService;
  evidence: EvidenceStore;
  ledger: Ledger;
  ctx: HiveContext;
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export interface HiveOptions {
  /** Where logs go: 1 = stdout, 2 = stderr (terminal adapter and CLI keep stdout for output). */
  logFd?: 1 | 2;
  logSink?: { write(line: string): void };
  /** Human-readable log lines; by default when logs go to a terminal (and never to a sink). */
  logPretty?: boolean;
  providers?: Record<Vendor, ModelProvider>;
  clock?: Clock;
  /** Consensus timing and synthesis model (tests shorten the timeouts). */
  consensus?: ConsensusTuning;
}

const SWEPT = ['evidence-content', 'evidence', 'threads', 'dedupe'] as const;
const SWEEP_EVERY_MS = 6 * 60 * 60 * 1000;

/** Composition root: builds the core from a validated config. */
export async function createHive(config: Config, opts: HiveOptions = {}): Promise<Hive> {
  const secrets = createSecretRegistry(configSecrets(config));
  const fd = opts.logFd ?? 1;
  const log = createLogger({ level: config.logLevel, secrets, fd, pretty: opts.logPretty ?? (!opts.logSink && Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY)), ...(opts.logSink ? { sink: opts.logSink } : {}) });
  const store = await createStore(config.storeUrl);
  const masterKey = loadMasterKey(config.masterKey, config.dataDir, log);
  const providers = opts.providers ?? {
    anthropic: createAnthropicProvider({ baseUrl: config.baseUrls.anthropic }),
    openai: createOpenAIProvider({ baseUrl: config.baseUrls.openai }),
    google: createGoogleProvider({ baseUrl: config.baseUrls.google }),
  };
  const vault = createKeyVault({ store: store.ns('keys'), masterKey, secrets });
  const keys = createKeyService({ vault, providers, secrets, envKeys: config.localKeys });
  const writes = createWriteBehind(log);
  const evidence = createEvidenceStore({ records: store.ns('evidence'), contents: store.ns('evidence-content'), retentionDays: config.evidenceRetentionDays, writes });
  const ledger = createLedger(store.ns('ledger'), writes);
  const settings = createSettings(store.ns('settings'));
  const clock = opts.clock ?? systemClock;
  const vendorLanes = createVendorLanes({ clock, overrides: (ws, v) => settings.cached(ws)?.vendorLimits?.[v] });
  const execute = createExecutor({ providers, lanes: vendorLanes, cooldowns: createCooldowns(clock), keys, clock, timeoutMs: config.vendorTimeoutMs });
  const runner = createJobRunner({ keys, settings, execute, atomic: store.atomic, evidence, ledger, maxOutputTokens: config.maxOutputTokens });
  const consensus = createConsensusRunner({ keys, settings, execute, atomic: store.atomic, evidence, ledger, maxOutputTokens: config.maxOutputTokens, memberTimeoutMs: config.vendorTimeoutMs, ...opts.consensus });
  const ctx: HiveContext = { runner, consensus, keys, evidence, ledger, settings, vendorLanes, atomic: store.atomic, log, now: () => new Date(clock.now()), limits: { maxInputChars: 32_000 } };
  const dispatcher = createDispatcher(createCommands(), ctx);
  // Expired entries (evidence past retention, thread transcripts, dedupe claims) are removed at
  // start and every few hours; SQLite and memory stores only expire entries lazily otherwise.
  const sweep = () => store.sweep(SWEPT).catch((err: unknown) => log.warn({ err }, 'store sweep failed'));
  await sweep();
  const sweeper = setInterval(() => void sweep(), SWEEP_EVERY_MS);
  sweeper.unref();
  return { config, log, secrets, sealer: createSealer(masterKey), store, keys, evidence, ledger, ctx, dispatcher, close: async () => {
    clearInterval(sweeper);
    await writes.flush();
    await store.close();
  } };
}

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
  const { createSlackAdapter } = await import('../adapters/chat/slack/index.ts');
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
