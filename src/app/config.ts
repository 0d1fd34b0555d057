import path from 'node:path';
import type { ChatAdapterDefinition } from '../chat/chat-adapter-definition.ts';
import { parseHttpLimits, type HttpLimits } from '../chat/http-limits.ts';
import { ConfigError } from '../shared/errors.ts';
import { loadPriceFile } from '../models/price-file.ts';
import type { ModelInfo } from '../models/prices.ts';
import type { LogLevel } from '../shared/log.ts';
import { parseVars, type EnvVars } from '../shared/env-fields.ts';
import { CONFIG_SCHEMA } from './config-schema.ts';
import type { FileLimits } from '../files/prepared-file.ts';

/** Every setting Hive reads, validated once at start-up. */
export interface Config {
  port: number;
  /** Where `/healthz` and `/readyz` are served (`HIVE_HEALTH_PORT`); none when unset. */
  healthPort: number | undefined;
  dataDir: string;
  storeUrl: string;
  /** SQL log store (ledger, evidence, budget counters): `postgres://…`, `sqlite://<file>` or `memory://`. */
  databaseUrl: string;
  masterKey: Buffer | undefined;
  logLevel: LogLevel;
  evidenceRetentionDays: number;
  /** How long messages captured for digests are kept. */
  digestRetentionHours: number;
  maxOutputTokens: number;
  vendorTimeoutMs: number;
  /** Platform user ids (e.g. Slack `U…`) who may administer every workspace, besides platform admins. */
  adminUserIds: string[];
  /** Each chat platform's own settings, parsed by its adapter definition, by platform name (absent when unset). */
  chat: Readonly<Record<string, unknown>>;
  /** Secret values in the chat platforms' settings, scrubbed from every log line. */
  chatSecrets: string[];
  baseUrls: { anthropic?: string; openai?: string; google?: string };
  /** The price table with HIVE_PRICES_FILE merged over the built-in one; absent when the variable is unset. */
  priceTable: readonly ModelInfo[] | undefined;
  localKeys: { anthropic?: string; openai?: string; google?: string };
  /** What this process does: `all` (intake and jobs, the default), `serve` (intake only) or `worker` (jobs and digests only). */
  role: HiveRole;
  /** The job queue and shared pacing (`HIVE_QUEUE_URL`); absent for one process on its own. */
  queue: QueueConfig | undefined;
  /** Jobs this process runs at once (`HIVE_WORKER_CONCURRENCY`), from BullMQ or from its own queue. */
  jobConcurrency: number;
  /**
   * How long work waits for the log store or the queue to come back during an outage before the
   * user is told (`HIVE_OUTAGE_WAIT_MS`).
   */
  outageWaitMs: number;
  /** Deadlines and the unverified-connection cap of Hive's HTTP servers (`HIVE_HTTP_*`). */
  http: HttpLimits;
  /** Files a job may read: per file, per job, and how many (`HIVE_FILE_MAX_MB`, `HIVE_JOB_FILES_MAX_MB`, `HIVE_JOB_FILES_MAX`). */
  fileLimits: FileLimits;
  /** The origin signed links to Hive's pages are built on (`HIVE_PUBLIC_URL`); pages are off without it. */
  publicUrl: string | undefined;
  /** Days a signed link opens its page (`HIVE_LINK_TTL_DAYS`). */
  linkTtlDays: number;
}

/** A process's part in a scaled-out install (`HIVE_ROLE`, or `hive serve` / `hive worker`). */
export type HiveRole = 'all' | 'serve' | 'worker';

export interface QueueConfig {
  url: string;
  /** Jobs one worker runs at once (`HIVE_WORKER_CONCURRENCY`). */
  concurrency: number;
  /** How long a job's lock lasts unrenewed before another worker resumes it (`HIVE_JOB_LOCK_MS`). */
  lockMs: number;
}

/**
 * Validates the environment, the core's variables and every chat platform's (each parsed by its
 * own definition), and reports every problem at once, each naming its variable.
 */
export function loadConfig(env: EnvVars, chatAdapters: readonly ChatAdapterDefinition[] = []): Config {
  const problems: string[] = [];
  const e = parseVars(env, CONFIG_SCHEMA.shape, problems);
  const masterKey = decodeMasterKey(e.HIVE_MASTER_KEY, problems);
  const priceTable = e.HIVE_PRICES_FILE === undefined ? undefined : loadPriceFile(e.HIVE_PRICES_FILE, problems);
  const http = parseHttpLimits(env, problems);
  const { chat, chatSecrets } = parseChatSettings(env, chatAdapters, problems);
  checkRole(e, problems);
  checkFileLimits(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(e.HIVE_DATA_DIR);
  return {
    port: e.PORT,
    healthPort: e.HIVE_HEALTH_PORT,
    dataDir,
    storeUrl: e.HIVE_STORE_URL ?? `sqlite://${path.join(dataDir, 'hive.sqlite')}`,
    databaseUrl: e.HIVE_DATABASE_URL ?? (e.HIVE_STORE_URL?.startsWith('memory:') ? 'memory://' : `sqlite://${path.join(dataDir, 'logs.sqlite')}`),
    masterKey,
    logLevel: e.LOG_LEVEL,
    evidenceRetentionDays: e.HIVE_EVIDENCE_RETENTION_DAYS,
    digestRetentionHours: e.HIVE_DIGEST_RETENTION_HOURS,
    maxOutputTokens: e.HIVE_MAX_OUTPUT_TOKENS,
    vendorTimeoutMs: e.HIVE_VENDOR_TIMEOUT_MS,
    adminUserIds: e.HIVE_ADMIN_USER_IDS ? e.HIVE_ADMIN_USER_IDS.split(',').map((s) => s.trim()) : [],
    chat,
    chatSecrets,
    baseUrls: { anthropic: e.ANTHROPIC_BASE_URL, openai: e.OPENAI_BASE_URL, google: e.GEMINI_BASE_URL },
    priceTable,
    localKeys: { anthropic: e.ANTHROPIC_API_KEY, openai: e.OPENAI_API_KEY, google: e.GEMINI_API_KEY },
    role: e.HIVE_ROLE,
    queue: e.HIVE_QUEUE_URL ? { url: e.HIVE_QUEUE_URL, concurrency: e.HIVE_WORKER_CONCURRENCY, lockMs: e.HIVE_JOB_LOCK_MS } : undefined,
    jobConcurrency: e.HIVE_WORKER_CONCURRENCY,
    outageWaitMs: e.HIVE_OUTAGE_WAIT_MS,
    http,
    fileLimits: { maxFileBytes: e.HIVE_FILE_MAX_MB * MB, maxJobBytes: e.HIVE_JOB_FILES_MAX_MB * MB, maxFiles: e.HIVE_JOB_FILES_MAX },
    publicUrl: e.HIVE_PUBLIC_URL,
    linkTtlDays: e.HIVE_LINK_TTL_DAYS,
  };
}

/** Each enabled platform's settings, parsed by its own definition, and the secrets among them. */
function parseChatSettings(env: EnvVars, chatAdapters: readonly ChatAdapterDefinition[], problems: string[]) {
  const chat: Record<string, unknown> = {};
  const chatSecrets: string[] = [];
  for (const d of chatAdapters) {
    const c = d.parseEnv(env, problems);
    if (c === undefined) continue;
    chat[d.name] = c;
    chatSecrets.push(...d.secrets(c).filter((v): v is string => v !== undefined));
  }
  return { chat, chatSecrets };
}

/** Roles other than `all` need the queue; processes sharing a queue must share the master key that seals its jobs. */
function checkRole(e: { HIVE_ROLE?: HiveRole; HIVE_QUEUE_URL?: string; HIVE_MASTER_KEY?: string }, problems: string[]): void {
  if (e.HIVE_ROLE && e.HIVE_ROLE !== 'all' && !e.HIVE_QUEUE_URL)
    problems.push(
      `HIVE_ROLE: ${e.HIVE_ROLE} needs HIVE_QUEUE_URL (redis://…), the queue that joins intake and workers; unset HIVE_ROLE to run everything in one process`,
    );
  if (e.HIVE_QUEUE_URL && !e.HIVE_MASTER_KEY)
    problems.push(
      'HIVE_MASTER_KEY: required with HIVE_QUEUE_URL: every process of the install seals and opens queued jobs and keys with the same key (generate one with `openssl rand -base64 32`)',
    );
}

const MB = 1024 * 1024;

/** A file larger than a whole job may read could never be read. */
function checkFileLimits(e: { HIVE_FILE_MAX_MB?: number; HIVE_JOB_FILES_MAX_MB?: number }, problems: string[]): void {
  if (e.HIVE_FILE_MAX_MB !== undefined && e.HIVE_JOB_FILES_MAX_MB !== undefined && e.HIVE_FILE_MAX_MB > e.HIVE_JOB_FILES_MAX_MB)
    problems.push(
      `HIVE_FILE_MAX_MB: ${e.HIVE_FILE_MAX_MB} is above HIVE_JOB_FILES_MAX_MB (${e.HIVE_JOB_FILES_MAX_MB}), the most one job may read; lower it or raise the job's limit`,
    );
}

function decodeMasterKey(value: string | undefined, problems: string[]): Buffer | undefined {
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length !== 32 || bytes.toString('base64').replace(/=+$/, '') !== value.replace(/=+$/, '')) {
    problems.push('HIVE_MASTER_KEY: must be 32 random bytes in base64 (generate one with `openssl rand -base64 32`)');
    return undefined;
  }
  return bytes;
}

/** Secret values from the config, so the logger can scrub them out of any message. */
export function configSecrets(c: Config): string[] {
  const values = [
    ...c.chatSecrets,
    c.localKeys.anthropic,
    c.localKeys.openai,
    c.localKeys.google,
    c.masterKey?.toString('base64'),
    databasePassword(c.databaseUrl),
    c.queue ? databasePassword(c.queue.url) : undefined,
  ];
  return values.filter((v): v is string => v !== undefined);
}

/** The password in a PostgreSQL URL (scrubbed from logs like every other secret). */
function databasePassword(url: string): string | undefined {
  try {
    const u = new URL(url);
    return (u.password ? decodeURIComponent(u.password) : undefined) ?? u.searchParams.get('password') ?? undefined;
  } catch {
    return undefined;
  }
}
