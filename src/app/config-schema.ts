import { z } from 'zod';
import { optionalVar as optional, urlVar as url } from '../shared/env-fields.ts';

const int = (min: number, max: number, dflt: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min).max(max).default(dflt);

/** The core's environment variables: each one's form, range and default (chat platforms parse their own). */
export const CONFIG_SCHEMA = z.object({
  PORT: int(0, 65535, 3000),
  HIVE_HEALTH_PORT: z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(0).max(65535).optional(),
  HIVE_DATA_DIR: z.string().trim().min(1).default('./data'),
  HIVE_STORE_URL: z
    .string()
    .regex(/^(sqlite|redis|rediss|memory):/, {
      error: (i) =>
        /^postgres(ql)?:/i.test(String(i.input))
          ? 'PostgreSQL cannot hold keyed values (keys, settings, claims); use sqlite://, redis://, rediss:// or memory://'
          : 'must start with sqlite://, redis://, rediss:// or memory://',
    })
    .optional(),
  HIVE_DATABASE_URL: z
    .string()
    .regex(/^(sqlite:\/\/.+|memory:\/\/.*|postgres(ql)?:\/\/.+)$/, {
      error: (i) =>
        /^(redis|rediss):/i.test(String(i.input))
          ? 'Redis cannot hold the log store (ledger, evidence, budget counters); use postgres://<user>:<password>@<host>:5432/<database>, sqlite://<file> or memory://'
          : 'must be postgres://<user>:<password>@<host>:5432/<database> (or postgresql://), sqlite://<file> or memory://',
    })
    .optional(),
  HIVE_MASTER_KEY: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HIVE_EVIDENCE_RETENTION_DAYS: int(1, 3650, 30),
  HIVE_DIGEST_RETENTION_HOURS: int(25, 24 * 30, 48),
  HIVE_MAX_OUTPUT_TOKENS: int(16, 200_000, 2048),
  HIVE_VENDOR_TIMEOUT_MS: int(100, 900_000, 120_000),
  HIVE_ADMIN_USER_IDS: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+(\s*,\s*[A-Za-z0-9_:-]+)*$/, 'must be a comma-separated list of user ids')
    .optional(),
  ANTHROPIC_BASE_URL: url,
  OPENAI_BASE_URL: url,
  GEMINI_BASE_URL: url,
  ANTHROPIC_API_KEY: optional,
  OPENAI_API_KEY: optional,
  GEMINI_API_KEY: optional,
  HIVE_PRICES_FILE: optional,
  HIVE_QUEUE_URL: z
    .string()
    .regex(/^rediss?:\/\/.+/, 'must be redis://<host>:6379 or rediss://… (BullMQ jobs and shared pacing)')
    .optional(),
  HIVE_ROLE: z.enum(['all', 'serve', 'worker'], { error: 'must be all (the default), serve (chat intake) or worker (model jobs and digests)' }).default('all'),
  HIVE_WORKER_CONCURRENCY: int(1, 1000, 32),
  HIVE_JOB_LOCK_MS: int(1000, 600_000, 30_000),
  HIVE_OUTAGE_WAIT_MS: int(0, 3_600_000, 60_000),
  HIVE_FILE_MAX_MB: int(1, 1024, 20),
  HIVE_JOB_FILES_MAX_MB: int(1, 4096, 50),
  HIVE_JOB_FILES_MAX: int(1, 100, 10),
  HIVE_PUBLIC_URL: z
    .string()
    .refine(isPublicOrigin, 'must be https://<host>[:port] (http:// only for localhost), with no path, query, fragment or user name')
    .transform((u) => new URL(u).origin)
    .optional(),
  HIVE_LINK_TTL_DAYS: int(1, 365, 7),
});

/**
 * The address links are built on: an origin alone, so a link's path is always Hive's own page
 * (no prefix, query or credentials to smuggle in), and over TLS except on this machine.
 */
function isPublicOrigin(value: string): boolean {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return false;
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  const scheme = u.protocol === 'https:' || (u.protocol === 'http:' && local);
  const bare = /^https?:\/\/[^/?#\\@]+\/?$/i.test(value.trim());
  return scheme && bare;
}
