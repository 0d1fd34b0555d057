import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** A log store backend under test: `url()` names a fresh, empty store each call. */
export interface LogBackend {
  name: string;
  url(): Promise<string>;
  close(): Promise<void>;
}

/** PostgreSQL runs in CI (.ci/run starts a throwaway cluster); locally the suite needs HIVE_TEST_POSTGRES_URL. */
export const postgresAdminUrl = process.env.HIVE_TEST_POSTGRES_URL;
if (!postgresAdminUrl && process.env.CI) throw new Error('CI must provide HIVE_TEST_POSTGRES_URL so the PostgreSQL log store is tested');

/** memory://, a SQLite file per call, and (when configured) PostgreSQL with a fresh schema per call. */
export function logBackends(): LogBackend[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-logs-'));
  const list: LogBackend[] = [
    { name: 'memory', url: async () => 'memory://', close: async () => undefined },
    {
      name: 'sqlite',
      url: async () => `sqlite://${path.join(dir, `${randomUUID()}.sqlite`)}`,
      close: async () => fs.rmSync(dir, { recursive: true, force: true }),
    },
  ];
  if (postgresAdminUrl) list.push(postgresBackend(postgresAdminUrl));
  return list;
}

/**
 * One database per suite (created on first use, dropped at close), and in it one schema per store,
 * chosen through the connection's `search_path`, so no run and no test sees another's rows.
 */
function postgresBackend(adminUrl: string): LogBackend {
  const database = `hive_test_${process.pid}_${randomUUID().slice(0, 8)}`;
  let created: Promise<void> | undefined;
  const admin = async <T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  };
  const dbUrl = (schema?: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${database}`;
    if (schema) u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  };
  return {
    name: 'postgres',
    async url() {
      created ??= admin(adminUrl, (c) => c.query(`create database ${database}`).then(() => undefined));
      await created;
      const schema = `s_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      await admin(dbUrl(), (c) => c.query(`create schema ${schema}`));
      return dbUrl(schema);
    },
    async close() {
      if (created) await admin(adminUrl, (c) => c.query(`drop database if exists ${database} with (force)`));
    },
  };
}
