import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openLogDb, type OutageWait } from '../../adapters/store/open-log-db.ts';
import { createOutbox } from '../../src/jobs/outbox.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { startTcpProxy, targetOf, type TcpProxy } from '../fakes/tcp-proxy.ts';
import { logBackends, postgresAdminUrl } from './log-backends.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const wait = (waitMs: number, seen: string[] = []): OutageWait => ({
  waitMs,
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  onOutage: (state) => void seen.push(state),
});
const job = (n: number) => ({ id: `slack:slash:outage.${n}`, platform: 'slack', workspaceId: 'slack:T1' });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string; retryable?: boolean },
  );

describe('the log store rides out a short outage', () => {
  it('GIVEN another process holds SQLite’s lock for a while THEN a write waits for it without stalling the event loop, and lands', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-outage-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'logs.sqlite');
    const seen: string[] = [];
    const db = await openLogDb(`sqlite://${file}`, wait(30_000, seen));
    cleanups.push(() => db.destroy());
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const write = createOutbox(db).begin(job(1), 'w1', 0);
    await new Promise((r) => setTimeout(r, 1_500));
    const ticksWhileLocked = ticks;
    other.exec('COMMIT');
    other.close();
    expect(await write).toEqual({ state: 'new' });
    clearInterval(ticker);
    // A 5 s busy wait inside SQLite would have held the thread: the ticker ran while the lock was held.
    expect(ticksWhileLocked).toBeGreaterThan(10);
    expect(seen).toEqual(['waiting', 'back']);
  });

  it('GIVEN the lock is held past the outage wait THEN the write fails with a retryable log_store_unavailable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-outage-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'logs.sqlite');
    const db = await openLogDb(`sqlite://${file}`, wait(600));
    cleanups.push(() => db.destroy());
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    const err = await failure(createOutbox(db).begin(job(2), 'w1', 0));
    other.exec('COMMIT');
    other.close();
    expect(err).toMatchObject({ code: 'log_store_unavailable', retryable: true });
    expect(err?.message).toMatch(/did not answer within 1 s \(.*(locked|busy)/i);
  });
});

describe.skipIf(!postgresAdminUrl)('PostgreSQL through an outage', () => {
  let proxy: TcpProxy;
  const open = async (waitMs: number, seen?: string[]): Promise<LogDb> => {
    const backend = logBackends().find((b) => b.name === 'postgres')!;
    cleanups.push(() => backend.close());
    const url = await backend.url();
    proxy = await startTcpProxy(targetOf(url));
    cleanups.push(() => proxy.close());
    const db = await openLogDb(proxy.via(url), wait(waitMs, seen));
    cleanups.push(() => db.destroy());
    return db;
  };

  it('GIVEN the server goes away for 2 s THEN statements made meanwhile wait for it and land once it is back', async () => {
    const seen: string[] = [];
    const db = await open(30_000, seen);
    const outbox = createOutbox(db);
    expect(await outbox.begin(job(3), 'w1', 0)).toEqual({ state: 'new' });
    proxy.down();
    await new Promise((r) => setTimeout(r, 100)); // the pool hears its connections close, as with a server restart
    const during = Promise.all([outbox.begin(job(4), 'w1', 0), outbox.posted(job(3).id, 'ts-1', 'w1'), sql`select 1 as one`.execute(db)]);
    const settled = during.then(
      () => 'done',
      () => 'failed',
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await Promise.race([settled, 'waiting'])).toBe('waiting');
    proxy.up();
    const [began] = await during;
    expect(began).toEqual({ state: 'new' });
    expect(await outbox.begin(job(3), 'w2', 0)).toMatchObject({ state: 'resumed', ref: 'ts-1' });
    expect(seen).toContain('waiting');
    expect(seen.at(-1)).toBe('back');
  });

  it('GIVEN connections in use when the server goes away THEN their statements fail, and nothing else does', async () => {
    const db = await open(30_000);
    // A transaction holds its connection between statements: the moment a restart catches it in.
    const inTransaction = db.transaction().execute(async (trx) => {
      await sql`select 1 as one`.execute(trx);
      proxy.down();
      await new Promise((r) => setTimeout(r, 100));
      await sql`select 2 as two`.execute(trx);
    });
    expect(await failure(inTransaction)).toBeInstanceOf(Error);
    proxy.up();
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('GIVEN the server away past the outage wait THEN the statement fails with a retryable log_store_unavailable', async () => {
    const db = await open(800);
    proxy.down();
    await new Promise((r) => setTimeout(r, 100));
    const err = await failure(createOutbox(db).begin(job(5), 'w1', 0));
    proxy.up();
    expect(err).toMatchObject({ code: 'log_store_unavailable', retryable: true });
  });
});
