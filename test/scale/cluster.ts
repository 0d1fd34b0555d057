import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { CHAT_ADAPTERS } from '../../adapters/chat/registry.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One Hive process of the cluster, run as `npm run dev` would, with its output kept. */
export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  healthPort: number;
}

/** Where the cluster keeps its shared state: a fresh PostgreSQL database and two Redis databases of its own. */
export interface ClusterStores {
  env: Record<string, string>;
  /** The bot as an operator's script would open it on the same stores (seeding keys, reading the ledger). */
  openHive(): Promise<Hive>;
  drop(): Promise<void>;
}

/**
 * Redis and PostgreSQL for a scale-out run; `db` picks the Redis databases (`db` for keyed values, `db + 1`
 * for the queue). Suites run at once and each flushes its own, so every Redis database has one owner:
 * 5 keyed-store contract, 6-7 scale-out, 8-9 file worker, 10-11 scale-out faults, 12 shared pace,
 * 13 legacy import, 14-15 answer action press.
 */
export async function createClusterStores(o: { redisUrl: string; postgresUrl: string; db: number; env: Record<string, string> }): Promise<ClusterStores> {
  const database = `hive_scale_${randomBytes(4).toString('hex')}`;
  await adminQuery(o.postgresUrl, `create database ${database}`);
  const dbUrl = new URL(o.postgresUrl);
  dbUrl.pathname = `/${database}`;
  const storeUrl = redisDb(o.redisUrl, o.db);
  const queueUrl = redisDb(o.redisUrl, o.db + 1);
  for (const u of [storeUrl, queueUrl]) await flush(u);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-scale-'));
  const env = {
    ...o.env,
    HIVE_DATA_DIR: dataDir,
    HIVE_STORE_URL: storeUrl,
    HIVE_DATABASE_URL: dbUrl.toString(),
    HIVE_QUEUE_URL: queueUrl,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  return {
    env,
    openHive: () => createHive(loadConfig(env, CHAT_ADAPTERS), { logSink: { write: () => undefined } }),
    async drop() {
      for (const u of [storeUrl, queueUrl]) await flush(u);
      await adminQuery(o.postgresUrl, `drop database if exists ${database} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Starts one process with the cluster's environment plus its own; resolves once `/readyz` answers 200. */
export async function startProcess(name: string, env: Record<string, string>, readyMs = 120_000): Promise<ClusterProcess> {
  const healthPort = Number(env.HIVE_HEALTH_PORT);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/app/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const p = { name, child, output, exited, healthPort };
  const until = Date.now() + readyMs;
  while (!(await ready(healthPort))) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${name} did not become ready:\n${output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return p;
}

/** Stops a process with SIGTERM (it drains), or SIGKILL after `graceMs`. */
export async function stopProcess(p: ClusterProcess, graceMs = 20_000): Promise<number | null> {
  if (p.child.exitCode !== null) return p.child.exitCode;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const code = await p.exited;
  clearTimeout(timer);
  return code;
}

async function ready(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/readyz`).then(
    (r) => r.ok,
    () => false,
  );
}

function redisDb(url: string, db: number): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function flush(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    await r.flushdb();
  } finally {
    r.disconnect();
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}
