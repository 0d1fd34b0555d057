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
import { resolveMasterKey, type MasterKeyMarker } from './master-key.ts';
import { openLogDb, type LogDb } from './logs/db.ts';
import { createBooks, HOLD_LEASE_MS, type Books } from './logs/books.ts';
import type { Sealed } from './crypto.ts';
import { createSecretRegistry, type SecretRegistry } from './secrets.ts';
import { createStore, type Store } from './store.ts';
import type { ModelProvider, Vendor } from './types.ts';
import { createKeyVault } from './vault.ts';
import { loadDotEnv } from './env-file.ts';
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
  /** Budget counters, holds and ledger rows (the SQL log store). */
  books: Books;
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

const SWEPT = ['threads', 'dedupe'] as const;
const SWEEP_EVERY_MS = 6 * 60 * 60 * 1000;

/** Composition root: builds the core from a validated config. */
export async function createHive(config: Config, opts: HiveOptions = {}): Promise<Hive> {
  const secrets = createSecretRegistry(configSecrets(config));
  const fd = opts.logFd ?? 1;
  const log = createLogger({ level: config.logLevel, secrets, fd, pretty: opts.logPretty ?? (!opts.logSink && Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY)), ...(opts.logSink ? { sink: opts.logSink } : {}) });
  const { store, logs, masterKey } = await openStorage(config, log);
  const books = createBooks(logs);
  const providers = opts.providers ?? {
    anthropic: createAnthropicProvider({ baseUrl: config.baseUrls.anthropic }),
    openai: createOpenAIProvider({ baseUrl: config.baseUrls.openai }),
    google: createGoogleProvider({ baseUrl: config.baseUrls.google }),
  };
  const vault = createKeyVault({ store: store.ns('keys'), masterKey, secrets });
  const keys = createKeyService({ vault, providers, secrets, envKeys: config.localKeys });
  const evidence = createEvidenceStore({ db: logs, retentionDays: config.evidenceRetentionDays });
  const ledger = createLedger(logs);
  const settings = createSettings(store.ns('settings'));
  const clock = opts.clock ?? systemClock;
  const vendorLanes = createVendorLanes({ clock, overrides: (ws, v) => settings.cached(ws)?.vendorLimits?.[v] });
  const execute = createExecutor({ providers, lanes: vendorLanes, cooldowns: createCooldowns(clock), keys, clock, timeoutMs: config.vendorTimeoutMs });
  const runner = createJobRunner({ keys, settings, execute, books, evidence, maxOutputTokens: config.maxOutputTokens });
  const consensus = createConsensusRunner({ keys, settings, execute, books, evidence, maxOutputTokens: config.maxOutputTokens, memberTimeoutMs: config.vendorTimeoutMs, ...opts.consensus });
  const ctx: HiveContext = { runner, consensus, keys, evidence, ledger, books, settings, vendorLanes, log, now: () => new Date(clock.now()), limits: { maxInputChars: 32_000 } };
  const dispatcher = createDispatcher(createCommands(), ctx);
  const stopMaintenance = startMaintenance({ store, books, evidence, log });
  return { config, log, secrets, sealer: createSealer(masterKey), store, books, keys, evidence, ledger, ctx, dispatcher, close: async () => {
    await stopMaintenance();
    await store.close();
    await logs.destroy();
  } };
}

/** Opens the keyed store and the log database, then checks the master key against the sealed data. */
async function openStorage(config: Config, log: Logger): Promise<{ store: Store; logs: LogDb; masterKey: Buffer }> {
  const store = await createStore(config.storeUrl);
  try {
    const logs = await openLogDb(config.databaseUrl);
    const masterKey = await resolveMasterKey({ configured: config.masterKey, dataDir: config.dataDir, log, meta: store.ns<MasterKeyMarker>('meta'), sealedKids: () => sealedKids(store) });
    return { store, logs, masterKey };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** Fingerprints of the master keys that sealed stored secrets (only read for data older than the marker). */
async function sealedKids(store: Store): Promise<Set<string>> {
  const kids = new Set<string>();
  for (const name of ['keys', 'installations'] as const) {
    const ns = store.ns<{ sealed?: Sealed }>(name);
    if (!ns.iterator) continue;
    for await (const [, value] of ns.iterator(undefined)) if (value?.sealed?.kid) kids.add(value.sealed.kid);
  }
  return kids;
}

/**
 * Background upkeep, never on the start-up path: this process's budget holds renewed, a dead
 * process's holds released, expired evidence content and records removed, expired keyed entries
 * (thread transcripts, dedupe claims) swept.
 */
function startMaintenance(o: { store: Store; books: Books; evidence: EvidenceStore; log: Logger }): () => Promise<void> {
  const warn = (what: string) => (err: unknown) => o.log.warn({ err }, `${what} failed`);
  const holds = async () => {
    await o.books.renewHolds();
    const released = await o.books.releaseExpiredHolds();
    if (released > 0) o.log.info({ released }, 'released budget holds of calls that never settled (a previous process stopped mid-call)');
  };
  const sweep = async () => {
    await o.evidence.expire(Date.now());
    await o.store.sweep(SWEPT);
  };
  const running = new Set<Promise<void>>();
  const launch = (job: () => Promise<void>, what: string) => {
    const p = job().catch(warn(what)).finally(() => running.delete(p));
    running.add(p);
  };
  launch(holds, 'budget hold upkeep');
  launch(sweep, 'retention sweep');
  const timers = [setInterval(() => launch(holds, 'budget hold upkeep'), HOLD_LEASE_MS / 3), setInterval(() => launch(sweep, 'retention sweep'), SWEEP_EVERY_MS)];
  for (const t of timers) t.unref();
  return async () => {
    timers.forEach(clearInterval);
    await Promise.allSettled([...running]);
  };
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
