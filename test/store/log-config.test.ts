import { describe, expect, it } from 'vitest';
import { configSecrets, loadConfig } from '../../src/app/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('HIVE_DATABASE_URL', () => {
  it.each([
    'postgres://hive:pw@db:5432/hive',
    'postgresql://hive@db/hive?sslmode=require',
    'postgres:///hive?host=/var/run/postgresql',
    'sqlite:///var/hive/logs.sqlite',
    'memory://',
  ])('GIVEN %s THEN it is taken as is', (url) => {
    expect(loadConfig({ HIVE_DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('GIVEN nothing THEN the log store is logs.sqlite in the data folder', () => {
    expect(loadConfig({ HIVE_DATA_DIR: '/srv/hive' }).databaseUrl).toBe('sqlite:///srv/hive/logs.sqlite');
  });

  it('GIVEN another scheme or an empty postgres URL THEN it says which forms work', () => {
    for (const url of ['mysql://db/hive', 'postgres://', 'logs.sqlite']) {
      expect(problemsOf({ HIVE_DATABASE_URL: url })).toEqual([
        expect.stringMatching(
          /^HIVE_DATABASE_URL: must be postgres:\/\/<user>:<password>@<host>:5432\/<database> \(or postgresql:\/\/\), sqlite:\/\/<file> or memory:\/\//,
        ),
      ]);
    }
  });

  it('GIVEN a Redis URL THEN it says Redis cannot hold the log store', () => {
    expect(problemsOf({ HIVE_DATABASE_URL: 'redis://localhost:6379' })).toEqual([
      expect.stringMatching(/Redis cannot hold the log store .* use postgres:\/\//),
    ]);
  });

  it('GIVEN a password in the URL THEN it is scrubbed from logs like every secret', () => {
    expect(configSecrets(loadConfig({ HIVE_DATABASE_URL: 'postgres://hive:correct%20horse@db/hive' }))).toContain('correct horse');
    expect(configSecrets(loadConfig({ HIVE_DATABASE_URL: 'postgres://hive@db/hive?password=battery-staple' }))).toContain('battery-staple');
  });
});
