import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { createCommands } from '../../commands/index.ts';
import type { HiveContext } from '../command/command.ts';
import { configSecrets, type Config } from './config.ts';
import { createDispatcher } from '../command/dispatch.ts';
import type { CommandCatalog, Dispatcher } from '../chat/dispatcher.ts';
import { createCommandCatalog } from '../command/dispatch.ts';
import type { ChatHost } from '../chat/chat-host.ts';
import { createEvidenceStore, type EvidenceStore } from '../evidence/evidence-store.ts';
import { createJobRunner } from '../jobs/job-runner.ts';
import { createKeyService, type KeyService } from '../keys/key-service.ts';
import { createLedger, type Ledger } from '../money/ledger.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import { resolveMasterKey, type MasterKeyMarker } from '../keys/master-key.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import type { LogDb } from '../store/log-db.ts';
import { createBooks, type Books } from '../money/books.ts';
import { createSecretRegistry, type SecretRegistry } from '../shared/secrets.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import { createKeyVault } from '../keys/vault.ts';
import { assembleDigests, type StartDigests } from './digest-wiring.ts';
import { startMaintenance } from './maintenance.ts';
import type { ReadinessCheck } from './health.ts';
import { sql } from 'kysely';
import type { ChatAnswerer } from '../chat/answerer.ts';
import { createQueueingDispatcher } from '../command/queueing-dispatcher.ts';
import type { JobHandler, JobQueue } from '../jobs/job-queue.ts';
import { createAbandonedReply, createJobHandler, type JobWorkerOptions } from '../command/job-worker.ts';
import type { QueuedJob } from '../chat/queued-job.ts';
import { createOutbox } from '../jobs/outbox.ts';
import { createRedisSharedPace } from '../../adapters/store/redis/redis-shared-pace.ts';
import { leaseMsFor } from '../pacing/shared-pace.ts';
import { createSealer, type Sealer } from '../keys/crypto.ts';
import { createSettings, threadRepliesFor } from '../settings/settings.ts';
import { importLegacyData } from './legacy-import.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import { createPacer } from '../pacing/pacer.ts';
import { DEFAULT_JITTER_MS } from '../pacing/token-bucket.ts';
import { createLimitMemory } from '../pacing/pacer-memory.ts';
import { createExecutor } from '../routing/executor.ts';
import { createPriceCatalogue } from '../models/price-catalogue.ts';
import { createCooldowns } from '../routing/cooldown.ts';
import { createConsensusRunner, type ConsensusTuning } from '../consensus/runner.ts';
import { createChatHost, suggestModels } from './chat-host.ts';
import { outageLog } from './outage-log.ts';
import { sealedKids } from './sealed-kids.ts';

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
  /** The SQL log store itself (ledger, evidence, digest capture and runs). */
  logs: LogDb;
  /**
   * Starts firing scheduled digests, posted through `post` on the platforms this process runs;
   * returns the stop (digests under way finish).
   */
  startDigests: StartDigests;
  /** What `/readyz` asks of the core: the keyed store and the log database answer. */
  readiness(): ReadinessCheck[];
  keys: KeyService;
  evidence: EvidenceStore;
  ledger: Ledger;
  ctx: HiveContext;
  dispatcher: Dispatcher;
  /** What each command is (quick, conversational), for platforms deciding how to present it. */
  commands: CommandCatalog;
  /** The narrow view of the core that chat adapters get (never the whole Hive). */
  host: ChatHost;
  /** A worker's job handler: queued jobs run here and are answered through these platforms, once each (the outbox). */
  answerJobs(answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning?: JobRunTuning): JobHandler;
  /** Tells the user a job given up on (stalled too often) failed, unless its answer went out. */
  abandonJob(answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning?: JobRunTuning): (job: QueuedJob, reason: string) => Promise<void>;
  /** The intake queue, when this process puts jobs on one. */
  queue: JobQueue | undefined;
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
  /**
   * Model jobs that a worker can answer go on this queue instead of running here: BullMQ at
   * scale-out, or the log store's own queue for one process on its own.
   */
  queue?: JobQueue | ((core: QueueCore) => JobQueue);
}

/** What a queue is built from: the core's log, sealer, log store and clock. */
export interface QueueCore {
  log: Logger;
  sealer: Sealer;
  logs: LogDb;
  clock: Clock;
}

/** How job runs behave where they run (see `JobWorkerOptions`). */
export type JobRunTuning = Pick<JobWorkerOptions, 'postingGraceMs'>;

/** Composition root: builds the core from a validated config. */
export async function createHive(config: Config, opts: HiveOptions = {}): Promise<Hive> {
  const secrets = createSecretRegistry(configSecrets(config));
  const fd = opts.logFd ?? 1;
  const log = createLogger({
    level: config.logLevel,
    secrets,
    fd,
    pretty: opts.logPretty ?? (!opts.logSink && Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY)),
    ...(opts.logSink ? { sink: opts.logSink } : {}),
  });
  const clock = opts.clock ?? systemClock;
  const { store, logs, masterKey } = await openStorage(config, log, clock);
  const books = createBooks(logs);
  const catalogue = createPriceCatalogue(config.priceTable);
  const providers = opts.providers ?? {
    anthropic: createAnthropicProvider({ baseUrl: config.baseUrls.anthropic, catalogue }),
    openai: createOpenAIProvider({ baseUrl: config.baseUrls.openai, catalogue }),
    google: createGoogleProvider({ baseUrl: config.baseUrls.google, catalogue }),
  };
  const vault = createKeyVault({ store: store.ns('keys'), masterKey, secrets, clockMs: () => clock.now() });
  const keys = createKeyService({ vault, providers, secrets, envKeys: config.localKeys });
  const evidence = createEvidenceStore({
    db: logs,
    retentionDays: config.evidenceRetentionDays,
    onFlushError: (err) => log.warn({ err }, 'could not write a batch of evidence prompts and answers; trying again'),
  });
  const ledger = createLedger(logs, () => clock.now());
  const settings = createSettings(store.ns('settings'), () => clock.now());
  const memory = createLimitMemory({ kv: store.ns('limits'), onError: (err) => log.warn({ err }, 'could not read or write learned rate limits') });
  // Scale-out: every worker's calls count against one set of limits per workspace × lane, in Redis.
  const shared = config.queue ? createRedisSharedPace({ url: config.queue.url, leaseMs: leaseMsFor(config.vendorTimeoutMs) }) : undefined;
  const pacer = createPacer({
    clock,
    memory,
    jitterMs: DEFAULT_JITTER_MS,
    overrides: (ws, v) => settings.cached(ws)?.vendorLimits?.[v],
    ...(shared ? { shared, onSharedError: (err: unknown) => log.warn({ err }, 'shared vendor pacing unreachable; pacing this process alone') } : {}),
  });
  const execute = createExecutor({ providers, catalogue, pacer, cooldowns: createCooldowns(clock), keys, clock, timeoutMs: config.vendorTimeoutMs, secrets });
  const runner = createJobRunner({ keys, settings, execute, books, evidence, catalogue, secrets, maxOutputTokens: config.maxOutputTokens });
  const consensus = createConsensusRunner({
    keys,
    secrets,
    settings,
    execute,
    books,
    evidence,
    catalogue,
    maxOutputTokens: config.maxOutputTokens,
    memberTimeoutMs: config.vendorTimeoutMs,
    ...opts.consensus,
  });
  const digests = assembleDigests({
    logs,
    keys,
    settings,
    execute,
    books,
    evidence,
    catalogue,
    secrets,
    log,
    maxOutputTokens: config.maxOutputTokens,
    retentionHours: config.digestRetentionHours,
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    kv: store.ns('digest'),
  });
  const ctx: HiveContext = {
    runner,
    consensus,
    keys,
    evidence,
    ledger,
    books,
    settings,
    pacer,
    catalogue,
    log,
    now: () => new Date(clock.now()),
    limits: { maxInputChars: 32_000 },
    digests: digests.services,
  };
  const commands = createCommands();
  const dispatcher = createDispatcher(commands, ctx);
  const catalog = createCommandCatalog(commands);
  const sealer = createSealer(masterKey);
  const queue = typeof opts.queue === 'function' ? opts.queue({ log, sealer, logs, clock }) : opts.queue;
  const intake = queue
    ? createQueueingDispatcher({
        local: dispatcher,
        queue,
        commands: catalog,
        log,
        now: () => clock.now(),
        sleep: (ms) => clock.sleep(ms),
        waitMs: config.outageWaitMs,
      })
    : dispatcher;
  const outbox = createOutbox(logs, () => clock.now());
  const workerOptions = (answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning: JobRunTuning = {}): JobWorkerOptions => ({
    ...tuning,
    outbox,
    sealer,
    answerers,
    dispatcher,
    log,
    owner,
    bookStopped: (jobId: string) => books.bookStoppedCalls({ jobId }),
    now: () => clock.now(),
    sleep: (ms: number) => clock.sleep(ms),
  });
  const stopMaintenance = startMaintenance({ store, books, evidence, captured: digests.services.messages, outbox, log });
  const host = createChatHost({
    config,
    dispatcher: intake,
    commands: catalog,
    keys,
    store,
    sealer,
    secrets,
    log,
    threadReplies: async (ws, channelId) => threadRepliesFor(await settings.get(ws), channelId),
    suggestModels: (typed) => suggestModels(catalogue, new Date(clock.now()), typed),
    capture: digests.capture,
  });
  return {
    config,
    log,
    secrets,
    sealer,
    store,
    books,
    logs,
    startDigests: digests.start,
    readiness: () => [
      { name: 'store', check: async () => (await store.ns('meta').get('readiness-probe'), true) },
      { name: 'logs', check: async () => (await sql`select 1 as one`.execute(logs), true) },
    ],
    keys,
    evidence,
    ledger,
    ctx,
    dispatcher,
    commands: catalog,
    host,
    answerJobs: (answerers, owner, tuning) => createJobHandler(workerOptions(answerers, owner, tuning)),
    abandonJob: (answerers, owner, tuning) => createAbandonedReply(workerOptions(answerers, owner, tuning)),
    queue,
    close: async () => {
      await stopMaintenance();
      await evidence.flush().catch((err: unknown) => log.error({ err }, 'could not write the last prompts and answers of evidence records'));
      await pacer.flush();
      await queue?.close();
      await shared?.close();
      await store.close();
      await logs.destroy();
    },
  };
}

/** Opens the keyed store and the log database, then checks the master key against the sealed data. */
async function openStorage(config: Config, log: Logger, clock: Clock): Promise<{ store: Store; logs: LogDb; masterKey: Buffer }> {
  const store = await createStore(config.storeUrl);
  try {
    const logs = await openLogDb(config.databaseUrl, {
      waitMs: config.outageWaitMs,
      now: () => clock.now(),
      sleep: (ms) => clock.sleep(ms),
      onOutage: outageLog(log, config.outageWaitMs),
    });
    const masterKey = await resolveMasterKey({
      configured: config.masterKey,
      dataDir: config.dataDir,
      log,
      meta: store.ns<MasterKeyMarker>('meta'),
      sealedKids: () => sealedKids(store),
    });
    // Before any chat adapter starts: usage, evidence and budgets of releases before the log store.
    await importLegacyData({ store, db: logs, log, retentionDays: config.evidenceRetentionDays });
    return { store, logs, masterKey };
  } catch (e) {
    await store.close();
    throw e;
  }
}
