import { questionOf } from '../../commands/answer-action.ts';
import { parseUsagePeriod } from '../../commands/usage-period.ts';
import { sql } from 'kysely';
import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import { createRedisSharedPace } from '../../adapters/store/redis/redis-shared-pace.ts';
import { createCommands } from '../../commands/index.ts';
import type { ChatAnswerer } from '../chat/answerer.ts';
import type { Dispatcher } from '../chat/dispatcher.ts';
import type { HiveContext } from '../command/command.ts';
import { createCommandCatalog, createDispatcher } from '../command/dispatch.ts';
import { createAbandonedReply, createJobHandler, type JobWorkerOptions } from '../command/job-worker.ts';
import { createQueueingDispatcher } from '../command/queueing-dispatcher.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { createOutbox } from '../jobs/outbox.ts';
import { createSealer, type Sealer } from '../keys/crypto.ts';
import { createWebPages } from '../../adapters/web/web-pages.ts';
import { spendChartPng } from '../../adapters/web/spend-png.ts';
import type { HttpPages } from '../chat/http-pages.ts';
import { loadEvidencePage } from '../jobs/evidence-page.ts';
import { spendChart, spendSources, type DrawSpendChart } from './pages-wiring.ts';
import { leaseMsFor } from '../pacing/shared-pace.ts';
import { threadRepliesFor } from '../settings/settings.ts';
import { systemClock } from '../shared/clock.ts';
import { createLogger, type Logger } from '../shared/log.ts';
import { createSecretRegistry, type SecretRegistry } from '../shared/secrets.ts';
import { createChatHost, recentQuestions, suggestModels } from './chat-host.ts';
import { configSecrets, type Config } from './config.ts';
import { assembleEngine, type Engine, type EngineBase, type EngineEdges } from './hive-engine.ts';
import { openStorage, type StorageOpeners } from './hive-storage.ts';
import type { Hive, HiveOptions, JobRunTuning } from './hive-types.ts';
import { startMaintenance } from './maintenance.ts';

export type { Hive, HiveOptions, JobRunTuning, QueueCore } from './hive-types.ts';

/** Composition root: builds the core from a validated config. */
export async function createHive<Q extends JobQueue = JobQueue>(config: Config, opts: HiveOptions<Q> = {}): Promise<Hive<Q>> {
  const secrets = createSecretRegistry(configSecrets(config));
  const log = hiveLogger(config, secrets, opts);
  const clock = opts.clock ?? systemClock;
  const base: EngineBase = { config, log, clock, secrets, ...(await openStorage(config, log, clock, STORAGE)) };
  const engine = assembleEngine(base, engineEdges(config), opts);
  const commands = createCommands();
  const ctx = hiveContext(base, engine, opts.drawSpendChart ?? spendChartPng);
  const dispatcher = createDispatcher(commands, ctx);
  const catalog = createCommandCatalog(commands);
  const sealer = createSealer(base.masterKey);
  const queue = typeof opts.queue === 'function' ? opts.queue({ log, sealer, logs: base.logs, clock }) : opts.queue;
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
  const outbox = createOutbox(base.logs, () => clock.now());
  const worker = workerOptionsFor(base, engine, { outbox, sealer, dispatcher });
  const { store, logs } = base;
  const { books, evidence, settings, catalogue, digests } = engine;
  const stopMaintenance = startMaintenance({
    store,
    books,
    evidence,
    answers: engine.answers.book,
    captured: digests.services.messages,
    outbox,
    log,
    now: () => clock.now(),
  });
  const pages = webPages(base, engine);
  const host = createChatHost({
    ...{ config, dispatcher: intake, commands: catalog, keys: engine.keys, store, sealer, secrets, log, capture: digests.capture },
    threadReplies: async (ws, channelId) => threadRepliesFor(await settings.get(ws), channelId),
    suggestModels: (typed) => suggestModels(catalogue, new Date(clock.now()), typed),
    recentQuestions: (workspaceId, userId) => recentQuestions(engine.answers.book, questionOf, { workspaceId, userId }),
    ...(opts.logOutlet ? { logView: opts.logOutlet } : {}),
    ...(pages ? { pages } : {}),
  });
  return {
    ...{ config, log, secrets, sealer, store, books, logs, evidence, dispatcher, host, queue, keys: engine.keys, ledger: engine.ledger, pages },
    startDigests: digests.start,
    readiness: () => [
      { name: 'store', check: async () => (await store.ns('meta').get('readiness-probe'), true) },
      { name: 'logs', check: async () => (await sql`select 1 as one`.execute(logs), true) },
    ],
    ctx,
    commands: catalog,
    answerJobs: (answerers, owner, tuning) => createJobHandler(worker(answerers, owner, tuning)),
    abandonJob: (answerers, owner, tuning) => createAbandonedReply(worker(answerers, owner, tuning)),
    close: () => closeHive(base, engine, { stopMaintenance, queue }),
  };
}

/** The evidence pages behind signed links, when `HIVE_PUBLIC_URL` turns them on. */
function webPages(b: EngineBase, e: Engine): HttpPages | undefined {
  if (!e.links) return undefined;
  const deps = { evidence: e.evidence, answers: e.answers.book, catalogue: e.catalogue };
  const spend = spendSources({ ...deps, ledger: e.ledger, books: e.books, settings: e.settings }, parseUsagePeriod, () => new Date(b.clock.now()));
  return createWebPages({ signer: e.links.signer, evidencePage: (id, ws) => loadEvidencePage(deps, id, ws), spend, now: () => b.clock.now(), log: b.log });
}

/** The stores on their backends: keyv over SQLite or Redis, the log database on SQLite or PostgreSQL. */
const STORAGE: StorageOpeners = { store: (url) => createStore(url), logs: (url, outage) => openLogDb(url, outage) };

/** The vendors on their official SDKs at the configured endpoints, and the shared pace in Redis at scale-out. */
function engineEdges(config: Config): EngineEdges {
  const q = config.queue;
  return {
    providers: (catalogue) => ({
      anthropic: createAnthropicProvider({ baseUrl: config.baseUrls.anthropic, catalogue }),
      openai: createOpenAIProvider({ baseUrl: config.baseUrls.openai, catalogue }),
      google: createGoogleProvider({ baseUrl: config.baseUrls.google, catalogue }),
    }),
    shared: q ? createRedisSharedPace({ url: q.url, leaseMs: leaseMsFor(config.vendorTimeoutMs) }) : undefined,
  };
}

/** The log every part writes to, with every known secret masked from the first line. */
function hiveLogger(config: Config, secrets: SecretRegistry, opts: Pick<HiveOptions, 'logFd' | 'logOutlet' | 'logSink' | 'logPretty'>): Logger {
  const fd = opts.logFd ?? 1;
  const sink = opts.logOutlet ?? opts.logSink;
  return createLogger({
    level: config.logLevel,
    secrets,
    fd,
    pretty: opts.logPretty ?? (!sink && Boolean(fd === 1 ? process.stdout.isTTY : process.stderr.isTTY)),
    ...(sink ? { sink } : {}),
  });
}

/** What every command runs with: the engine's services, the log and the clock, and `/hive usage`'s chart drawn by `draw`. */
function hiveContext(b: EngineBase, e: Engine, draw: DrawSpendChart): HiveContext {
  const { runner, consensus, keys, evidence, ledger, books, settings, pacer, catalogue, answers, learned } = e;
  return {
    ...{ runner, consensus, keys, evidence, ledger, books, settings, pacer, catalogue, answers, learned },
    log: b.log,
    now: () => new Date(b.clock.now()),
    limits: { maxInputChars: 32_000 },
    digests: e.digests.services,
    ...(e.links ? { spendLink: e.links.spend } : {}),
    spendChart: spendChart({ ledger, books, settings }, draw, () => new Date(b.clock.now())),
  };
}

/** How a worker of this Hive runs queued jobs on the given platforms. */
function workerOptionsFor(b: EngineBase, e: Engine, o: { outbox: JobWorkerOptions['outbox']; sealer: Sealer; dispatcher: Dispatcher }) {
  return (answerers: ReadonlyMap<string, ChatAnswerer>, owner: string, tuning: JobRunTuning = {}): JobWorkerOptions => ({
    ...tuning,
    ...o,
    answerers,
    log: b.log,
    owner,
    bookStopped: (jobId: string) => e.books.bookStoppedCalls({ jobId }),
    now: () => b.clock.now(),
    sleep: (ms: number) => b.clock.sleep(ms),
  });
}

/** Stops in order: maintenance, then what is buffered is written, then the queue and the stores close. */
async function closeHive(b: EngineBase, e: Engine, o: { stopMaintenance: () => Promise<void>; queue: JobQueue | undefined }): Promise<void> {
  await o.stopMaintenance();
  await e.evidence.flush().catch((err: unknown) => b.log.error({ err }, 'could not write the last prompts and answers of evidence records'));
  await e.pacer.flush();
  await o.queue?.close();
  await e.shared?.close();
  await b.store.close();
  await b.logs.destroy();
}
