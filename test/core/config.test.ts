import { describe, expect, it } from 'vitest';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import type { SlackConfig } from '../../adapters/chat/slack/config.ts';
import type { DiscordConfig } from '../../adapters/chat/discord/definition.ts';
import { loadConfig as loadCoreConfig, type Config } from '../../src/app/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';

/** The core's settings and every registered chat platform's, as start-up loads them. */
const loadConfig = (env: Record<string, string>) => withPlatforms(loadCoreConfig(env, CHAT_ADAPTERS));
const withPlatforms = (c: Config) => ({ ...c, slack: c.chat.slack as SlackConfig | undefined, discord: c.chat.discord as DiscordConfig | undefined });

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('loadConfig', () => {
  it('GIVEN an empty environment THEN it runs on the embedded defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.storeUrl).toMatch(/^sqlite:\/\/.*data\/hive\.sqlite$/);
    expect(c.slack).toBeUndefined();
    expect(c.discord).toBeUndefined();
    expect(c.masterKey).toBeUndefined();
    expect(c.logLevel).toBe('info');
  });

  it('GIVEN several bad variables THEN it reports every one at once, naming each', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      OPENAI_BASE_URL: 'not a url',
      HIVE_MASTER_KEY: 'c2hvcnQ=',
      HIVE_STORE_URL: 'mysql://x',
      DISCORD_TOKEN: 'abc',
      SLACK_CLIENT_ID: '1',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named).toEqual(expect.arrayContaining(['PORT', 'LOG_LEVEL', 'OPENAI_BASE_URL', 'HIVE_MASTER_KEY', 'HIVE_STORE_URL', 'DISCORD_APPLICATION_ID']));
    expect(problems.some((p) => p.includes('SLACK_CLIENT_SECRET'))).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(7);
  });

  it('GIVEN a problem THEN the error message never echoes a secret value', () => {
    const secret = 'xoxb-should-not-appear-123456';
    try {
      loadConfig({ SLACK_BOT_TOKEN: secret, PORT: 'x' });
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(secret);
    }
  });

  it('GIVEN a valid base64 32-byte master key THEN it decodes it', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ HIVE_MASTER_KEY: key }).masterKey?.length).toBe(32);
  });

  it('GIVEN blank values (as in a copied .env.example) THEN they count as unset', () => {
    const c = loadConfig({ HIVE_STORE_URL: '', SLACK_BOT_TOKEN: '  ', OPENAI_BASE_URL: '' });
    expect(c.slack).toBeUndefined();
    expect(c.baseUrls.openai).toBeUndefined();
  });

  it('GIVEN single-workspace Slack settings THEN it accepts them and normalises the API URL', () => {
    const c = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'http://127.0.0.1:9/api' });
    expect(c.slack?.apiUrl).toBe('http://127.0.0.1:9/api/');
    expect(c.slack?.oauth).toBeUndefined();
  });

  it('GIVEN a Slack bot token without a signing secret or app token THEN it says which is missing', () => {
    expect(problemsOf({ SLACK_BOT_TOKEN: 'xoxb-1' }).join('\n')).toMatch(/SLACK_SIGNING_SECRET/);
  });

  it('GIVEN a PostgreSQL HIVE_STORE_URL THEN start-up refuses it and names the keyed-value stores it takes', () => {
    for (const url of ['postgres://u@db/hive', 'postgresql://db/hive', 'POSTGRES://db']) {
      const problems = problemsOf({ HIVE_STORE_URL: url });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^HIVE_STORE_URL: PostgreSQL cannot hold keyed values .*sqlite:\/\/, redis:\/\/, rediss:\/\/ or memory:\/\//);
    }
    expect(problemsOf({ HIVE_STORE_URL: 'mysql://x' })).toEqual(['HIVE_STORE_URL: must start with sqlite://, redis://, rediss:// or memory://']);
    for (const url of ['sqlite:///tmp/h.sqlite', 'redis://localhost:6379', 'rediss://cache:6380', 'memory://'])
      expect(loadConfig({ HIVE_STORE_URL: url }).storeUrl).toBe(url);
  });

  it('GIVEN no queue THEN one process does everything; serve or worker without a queue is refused, naming what to set', () => {
    expect(loadConfig({})).toMatchObject({ role: 'all', queue: undefined });
    for (const role of ['serve', 'worker'])
      expect(problemsOf({ HIVE_ROLE: role })).toEqual([
        `HIVE_ROLE: ${role} needs HIVE_QUEUE_URL (redis://…), the queue that joins intake and workers; unset HIVE_ROLE to run everything in one process`,
      ]);
    expect(problemsOf({ HIVE_ROLE: 'web' })[0]).toMatch(/^HIVE_ROLE: must be all \(the default\), serve \(chat intake\) or worker/);
  });

  it('GIVEN a queue THEN the master key is required (every process opens the same sealed jobs), and bad tuning is named', () => {
    expect(problemsOf({ HIVE_QUEUE_URL: 'redis://q:6379' })).toEqual([
      'HIVE_MASTER_KEY: required with HIVE_QUEUE_URL: every process of the install seals and opens queued jobs and keys with the same key (generate one with `openssl rand -base64 32`)',
    ]);
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ HIVE_QUEUE_URL: 'rediss://:pw@q:6380/2', HIVE_MASTER_KEY: key, HIVE_ROLE: 'worker' })).toMatchObject({
      role: 'worker',
      queue: { url: 'rediss://:pw@q:6380/2', concurrency: 32, lockMs: 30_000 },
    });
    const problems = problemsOf({ HIVE_QUEUE_URL: 'http://q', HIVE_MASTER_KEY: key, HIVE_WORKER_CONCURRENCY: '0', HIVE_JOB_LOCK_MS: '10' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['HIVE_QUEUE_URL', 'HIVE_WORKER_CONCURRENCY', 'HIVE_JOB_LOCK_MS']);
  });

  it('GIVEN no HIVE_HTTP_* THEN the HTTP servers close slow clients within seconds; set, they are taken, and a bad value is named', () => {
    expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxUnverified: 256 });
    const env = {
      HIVE_HTTP_HEADERS_TIMEOUT_MS: '2000',
      HIVE_HTTP_REQUEST_TIMEOUT_MS: '3000',
      HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: '1000',
    };
    expect(loadConfig(env).http).toEqual({ headersTimeoutMs: 2_000, requestTimeoutMs: 3_000, keepAliveTimeoutMs: 65_000, maxUnverified: 1_000 });
    expect(problemsOf({ HIVE_HTTP_HEADERS_TIMEOUT_MS: '20000', HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: '0', HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toEqual([
      'HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: must be a whole number of milliseconds',
      expect.stringMatching(/^HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: /),
      'HIVE_HTTP_HEADERS_TIMEOUT_MS: must not be longer than HIVE_HTTP_REQUEST_TIMEOUT_MS (10000 ms), the deadline of the whole request',
    ]);
  });
});
