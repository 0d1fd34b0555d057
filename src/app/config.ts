import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** Every setting Hive reads, validated once at start-up. */
export interface Config {
  port: number;
  dataDir: string;
  storeUrl: string;
  /** SQL log store (ledger, evidence, budget counters): `sqlite://<file>` or `memory://`. */
  databaseUrl: string;
  masterKey: Buffer | undefined;
  logLevel: LogLevel;
  evidenceRetentionDays: number;
  maxOutputTokens: number;
  vendorTimeoutMs: number;
  /** Platform user ids (e.g. Slack `U…`) who may administer every workspace, besides platform admins. */
  adminUserIds: string[];
  slack: SlackConfig | undefined;
  discord: { token: string; applicationId: string; apiUrl: string } | undefined;
  baseUrls: { anthropic?: string; openai?: string; google?: string };
  localKeys: { anthropic?: string; openai?: string; google?: string };
}

export interface SlackConfig {
  signingSecret: string | undefined;
  botToken: string | undefined;
  appToken: string | undefined;
  oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
  apiUrl: string;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

const optional = z.string().trim().min(1).optional();
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional();
const int = (min: number, max: number, dflt: number) =>
  z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min).max(max).default(dflt);

const schema = z.object({
  PORT: int(0, 65535, 3000),
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
    .regex(/^(sqlite:\/\/.+|memory:\/\/.*)$/, 'must be sqlite://<file> or memory:// (PostgreSQL support is not part of this build yet)')
    .optional(),
  HIVE_MASTER_KEY: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HIVE_EVIDENCE_RETENTION_DAYS: int(1, 3650, 30),
  HIVE_MAX_OUTPUT_TOKENS: int(16, 200_000, 2048),
  HIVE_VENDOR_TIMEOUT_MS: int(100, 900_000, 120_000),
  HIVE_ADMIN_USER_IDS: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+(\s*,\s*[A-Za-z0-9_:-]+)*$/, 'must be a comma-separated list of user ids')
    .optional(),
  SLACK_SIGNING_SECRET: optional,
  SLACK_BOT_TOKEN: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_CLIENT_ID: optional,
  SLACK_CLIENT_SECRET: optional,
  SLACK_STATE_SECRET: optional,
  SLACK_API_URL: url,
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional,
  DISCORD_API_URL: url,
  ANTHROPIC_BASE_URL: url,
  OPENAI_BASE_URL: url,
  GEMINI_BASE_URL: url,
  ANTHROPIC_API_KEY: optional,
  OPENAI_API_KEY: optional,
  GEMINI_API_KEY: optional,
});

type Env = z.infer<typeof schema>;

/** Validates the environment and reports every problem at once, each naming its variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  const e = parseFields(env, problems);
  const masterKey = decodeMasterKey(e.HIVE_MASTER_KEY, problems);
  const slack = slackConfig(e, problems);
  const discord = discordConfig(e, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = path.resolve(e.HIVE_DATA_DIR);
  return {
    port: e.PORT,
    dataDir,
    storeUrl: e.HIVE_STORE_URL ?? `sqlite://${path.join(dataDir, 'hive.sqlite')}`,
    databaseUrl: e.HIVE_DATABASE_URL ?? (e.HIVE_STORE_URL?.startsWith('memory:') ? 'memory://' : `sqlite://${path.join(dataDir, 'logs.sqlite')}`),
    masterKey,
    logLevel: e.LOG_LEVEL,
    evidenceRetentionDays: e.HIVE_EVIDENCE_RETENTION_DAYS,
    maxOutputTokens: e.HIVE_MAX_OUTPUT_TOKENS,
    vendorTimeoutMs: e.HIVE_VENDOR_TIMEOUT_MS,
    adminUserIds: e.HIVE_ADMIN_USER_IDS ? e.HIVE_ADMIN_USER_IDS.split(',').map((s) => s.trim()) : [],
    slack,
    discord,
    baseUrls: { anthropic: e.ANTHROPIC_BASE_URL, openai: e.OPENAI_BASE_URL, google: e.GEMINI_BASE_URL },
    localKeys: { anthropic: e.ANTHROPIC_API_KEY, openai: e.OPENAI_API_KEY, google: e.GEMINI_API_KEY },
  };
}

/** Parses each variable on its own so one bad value never hides another. */
function parseFields(env: Record<string, string | undefined>, problems: string[]): Env {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.shape)) {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw;
    const r = field.safeParse(value);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  return out as Env;
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

function slackConfig(e: Env, problems: string[]): SlackConfig | undefined {
  const oauthVars = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const anyOauth = oauthVars.some((v) => v !== undefined);
  const any = anyOauth || [e.SLACK_SIGNING_SECRET, e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN].some((v) => v !== undefined);
  if (!any) return undefined;
  if (anyOauth && oauthVars.some((v) => v === undefined)) {
    problems.push('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: set all three for multi-workspace install, or none');
  }
  if (!anyOauth && e.SLACK_BOT_TOKEN === undefined) {
    problems.push('SLACK_BOT_TOKEN: required for a single-workspace Slack app (or set SLACK_CLIENT_ID/SECRET/STATE_SECRET for OAuth)');
  }
  if (e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
    problems.push('SLACK_SIGNING_SECRET: required to verify Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.SLACK_APP_TOKEN !== undefined && !e.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
  }
  if (e.SLACK_BOT_TOKEN !== undefined && !e.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  }
  const complete = anyOauth && !oauthVars.includes(undefined);
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    oauth: complete
      ? { clientId: e.SLACK_CLIENT_ID!, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET! }
      : undefined,
    apiUrl: withSlash(e.SLACK_API_URL ?? 'https://slack.com/api/'),
  };
}

function discordConfig(e: Env, problems: string[]): Config['discord'] {
  if (e.DISCORD_TOKEN === undefined && e.DISCORD_APPLICATION_ID === undefined) return undefined;
  if (e.DISCORD_TOKEN === undefined) problems.push('DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set');
  if (e.DISCORD_APPLICATION_ID === undefined) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  if (e.DISCORD_TOKEN === undefined || e.DISCORD_APPLICATION_ID === undefined) return undefined;
  return { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, apiUrl: e.DISCORD_API_URL ?? 'https://discord.com/api' };
}

function withSlash(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}

/** Secret values from the config, so the logger can scrub them out of any message. */
export function configSecrets(c: Config): string[] {
  const values = [
    c.slack?.signingSecret,
    c.slack?.botToken,
    c.slack?.appToken,
    c.slack?.oauth?.clientSecret,
    c.slack?.oauth?.stateSecret,
    c.discord?.token,
    c.localKeys.anthropic,
    c.localKeys.openai,
    c.localKeys.google,
    c.masterKey?.toString('base64'),
  ];
  return values.filter((v): v is string => v !== undefined);
}
