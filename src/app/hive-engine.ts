import { createConsensusRunner } from '../consensus/runner.ts';
import { createEvidenceStore } from '../evidence/evidence-store.ts';
import { DAY_MS } from '../evidence/evidence-retention.ts';
import { createAnswerBook } from '../jobs/answer-book.ts';
import { createJobCancels } from '../jobs/job-cancels.ts';
import { createAnswerJobs } from '../command/answer-jobs.ts';
import { createJobRunner } from '../jobs/job-runner.ts';
import { createKeyService } from '../keys/key-service.ts';
import { createKeyVault } from '../keys/vault.ts';
import { createSealer } from '../keys/crypto.ts';
import { createPriceCatalogue, type PriceCatalogue } from '../models/price-catalogue.ts';
import { createBooks } from '../money/books.ts';
import { createLedger } from '../money/ledger.ts';
import { createLimitMemory } from '../pacing/pacer-memory.ts';
import { createPacer } from '../pacing/pacer.ts';
import type { SharedPace } from '../pacing/shared-pace.ts';
import { DEFAULT_JITTER_MS } from '../pacing/token-bucket.ts';
import { createCooldowns } from '../routing/cooldown.ts';
import { createExecutor } from '../routing/executor.ts';
import { createSettings, type SettingsService } from '../settings/settings.ts';
import { createLearnedPolicy } from '../routing/learned-policy.ts';
import type { LearnedWeights } from '../routing/learned-lane.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';
import type { ModelProvider, Vendor } from '../shared/provider-spec.ts';
import type { SecretRegistry } from '../shared/secrets.ts';
import type { LogDb } from '../store/log-db.ts';
import type { Store } from '../store/store.ts';
import type { Config } from './config.ts';
import { assembleDigests } from './digest-wiring.ts';
import { createPageLinks } from './page-links.ts';
import type { HiveOptions } from './hive-types.ts';

/** The learned policy's shipped weights, read on first use (a workspace that never picks `learned` never reads them). */
async function loadShippedWeights(): Promise<LearnedWeights> {
  const m = await import('../routing/learned-weights.json', { with: { type: 'json' } });
  return m.default as LearnedWeights;
}

/** What the engine is built on: the validated config, the log, the clock and the opened storage. */
export interface EngineBase {
  config: Config;
  log: Logger;
  clock: Clock;
  secrets: SecretRegistry;
  store: Store;
  logs: LogDb;
  masterKey: Buffer;
}

/** The engine's edges, built by the composition root: the vendor providers and, at scale-out, the shared pace. */
export interface EngineEdges {
  providers(catalogue: PriceCatalogue): Record<Vendor, ModelProvider>;
  shared?: SharedPace | undefined;
}

/** The core's services for one Hive: keys, money, pacing, the executor and the three kinds of job. */
export type Engine = ReturnType<typeof assembleEngine>;

/** Builds the services every job uses, from the storage outwards; one catalogue and one clock for all. */
export function assembleEngine(b: EngineBase, edges: EngineEdges, opts: Pick<HiveOptions, 'providers' | 'consensus'>) {
  const { config, log, clock, secrets, store, logs } = b;
  const now = () => new Date(clock.now());
  // This Hive's own price table: the built-in one, or it merged with the operator's HIVE_PRICES_FILE.
  const catalogue = createPriceCatalogue(config.priceTable);
  const providers = opts.providers ?? edges.providers(catalogue);
  const vault = createKeyVault({ store: store.ns('keys'), masterKey: b.masterKey, secrets, clockMs: () => clock.now() });
  const keys = createKeyService({ vault, providers, secrets, envKeys: config.localKeys, now });
  const books = createBooks(logs);
  const evidence = createEvidenceStore({
    db: logs,
    retentionDays: config.evidenceRetentionDays,
    onFlushError: (err) => log.warn({ err }, 'could not write a batch of evidence prompts and answers; trying again'),
  });
  const ledger = createLedger(logs, () => clock.now());
  const settings = createSettings(store.ns('settings'), () => clock.now());
  const { shared } = edges;
  const pacer = assemblePacer(b, settings, shared);
  const execute = createExecutor({ providers, catalogue, pacer, cooldowns: createCooldowns(clock), keys, clock, timeoutMs: config.vendorTimeoutMs, secrets });
  const links = createPageLinks(config, b.masterKey, clock);
  const answers = assembleAnswers(b);
  const recent = { recent: (ws: string) => answers.book.recentQuestions(ws, 200), now: () => clock.now() };
  const learned = createLearnedPolicy(store.ns('routing'), loadShippedWeights, recent);
  const jobs = {
    keys,
    settings,
    execute,
    books,
    evidence,
    catalogue,
    secrets,
    now,
    maxOutputTokens: config.maxOutputTokens,
    fileLimits: config.fileLimits,
    evidenceLink: links?.evidence,
    learned: (ws: string, text: string, share: number) => learned.verdict(ws, text, share),
  };
  const runner = createJobRunner(jobs);
  const consensus = createConsensusRunner({ ...jobs, memberTimeoutMs: config.vendorTimeoutMs, ...opts.consensus });
  const digests = assembleDigests({
    ...jobs,
    logs,
    log,
    retentionHours: config.digestRetentionHours,
    now: () => clock.now(),
    sleep: (ms, signal) => clock.sleep(ms, signal),
    kv: store.ns('digest'),
  });
  return { catalogue, keys, books, evidence, ledger, settings, pacer, shared, runner, consensus, digests, answers, links, learned };
}

/** The jobs actions may name (re-run, confirm, cancel, feedback), kept as long as evidence content. */
function assembleAnswers(b: EngineBase) {
  const book = createAnswerBook(b.logs, createSealer(b.masterKey));
  const cancels = createJobCancels({ book, clock: b.clock, log: b.log });
  return createAnswerJobs({ book, cancels, now: () => b.clock.now(), keepMs: b.config.evidenceRetentionDays * DAY_MS, log: b.log });
}

/** The pacer over learned limits; at scale-out, every worker's calls count against one pace per workspace × vendor key, in Redis. */
function assemblePacer(b: EngineBase, settings: SettingsService, shared: SharedPace | undefined) {
  const memory = createLimitMemory({ kv: b.store.ns('limits'), onError: (err) => b.log.warn({ err }, 'could not read or write learned rate limits') });
  return createPacer({
    clock: b.clock,
    memory,
    jitterMs: DEFAULT_JITTER_MS,
    overrides: (ws, v) => settings.cached(ws)?.vendorLimits?.[v],
    ...(shared ? { shared, onSharedError: (err: unknown) => b.log.warn({ err }, 'shared vendor pacing unreachable; pacing this process alone') } : {}),
  });
}
