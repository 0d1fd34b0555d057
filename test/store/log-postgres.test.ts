import net from 'node:net';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { openPostgresLogDb } from '../../adapters/store/postgres/open-postgres-log-db.ts';
import { maskDatabaseUrl } from '../../adapters/store/postgres/connect-failure.ts';
import { HiveError } from '../../src/shared/errors.ts';
import { writeBookings } from '../../src/money/booking-write.ts';
import { createBooks } from '../../src/money/books.ts';
import { postgresAdminUrl } from './log-backends.ts';
import { ledgerRow, suiteBackends } from './log-fixtures.ts';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => s.once('listening', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

const failure = async (p: Promise<unknown>): Promise<HiveError> => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(HiveError);
  return e as HiveError;
};

describe('PostgreSQL log store: start-up failures', () => {
  it('GIVEN nothing listening THEN start-up stops with the masked URL and what to check', async () => {
    const url = `postgres://hive:s3cret-pw@127.0.0.1:${await closedPort()}/hive`;
    const e = await failure(openLogDb(url));
    expect(e.code).toBe('log_store_unavailable');
    expect(e.message).toContain(`postgres://hive:***@127.0.0.1:`);
    expect(e.message).toMatch(/HIVE_DATABASE_URL: could not connect to PostgreSQL .* within 5 s .*check the host and port, and that PostgreSQL is running/);
    expect(e.message).not.toContain('s3cret-pw');
  });

  it('GIVEN a server that accepts but never answers THEN start-up stops at the deadline and says so', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => void sockets.push(s)).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const e = await failure(openPostgresLogDb(`postgresql://hive:pw@127.0.0.1:${port}/hive?password=other-secret`, { deadlineMs: 200 }));
      expect(e.message).toMatch(/within 0\.2 s .*no answer: check the host and port, and that no firewall drops the connection/);
      expect(e.message).not.toMatch(/other-secret|:pw@/);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('GIVEN URLs with passwords THEN the masked form keeps everything else', () => {
    expect(maskDatabaseUrl('postgres://u:p%40ss@db.internal:6543/hive?sslmode=require')).toBe('postgres://u:***@db.internal:6543/hive?sslmode=require');
    expect(maskDatabaseUrl('postgres://u@h/db?password=x&application_name=a')).toBe('postgres://u@h/db?password=***&application_name=a');
    expect(maskDatabaseUrl('postgres://u:p@[bad')).toBe('postgres://…');
  });
});

describe.runIf(postgresAdminUrl)('PostgreSQL log store: a real server', () => {
  const [pgBackend] = suiteBackends().filter((b) => b.name === 'postgres');
  const opened: { destroy(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((d) => d.destroy()));
  });

  it('GIVEN a database that does not exist THEN start-up says to create it', async () => {
    const u = new URL(postgresAdminUrl!);
    u.pathname = '/hive_no_such_database';
    const e = await failure(openLogDb(u.toString()));
    expect(e.message).toMatch(/database "hive_no_such_database" does not exist.*create it \(`createdb <name>`\)/);
  });

  it('GIVEN three processes starting at once on an empty schema, via postgresql:// THEN each migrates or finds it migrated', async () => {
    const url = (await pgBackend!.url()).replace(/^postgres:/, 'postgresql:');
    const dbs = await Promise.all([openLogDb(url), openLogDb(url), openLogDb(url)]);
    opened.push(...dbs);
    await createBooks(dbs[0]!).settle({ keys: ['k'], costNano: 3, row: ledgerRow() });
    expect(await createBooks(dbs[2]!).balances(['k'])).toEqual([{ settled: 3, held: 0 }]);
  });

  it('GIVEN a hold that must wait on its first counter, and a booking that reaches a new counter the hold also names, THEN both commit', async () => {
    const url = await pgBackend!.url();
    const [a, b] = [await openLogDb(url), await openLogDb(url)];
    opened.push(a, b);
    await createBooks(a).settle({ keys: ['r|z', 's|a'], costNano: 1 });
    const lockWaits = async (n: number) => {
      for (;;) {
        const r = await sql<{
          n: number;
        }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(a);
        if (r.rows[0]!.n >= n) return;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const later = () => {
      let open!: () => void;
      return { promise: new Promise<void>((r) => (open = r)), open };
    };
    const [locked, release] = [later(), later()];
    // Another transaction has r|z locked (as for an export or a hand edit), so the hold waits there.
    const other = a.transaction().execute(async (trx) => {
      await sql`select key from budget_counters where key = 'r|z' for update`.execute(trx);
      locked.open();
      await release.promise;
    });
    await locked.promise;
    const hold = createBooks(b).hold([{ key: 't|new', capNano: 100 }, { key: 's|a' }, { key: 'r|z' }], 5);
    await lockWaits(1);
    // A booking locks s|a, the lock is let go, and the booking goes on to t|new, which does not exist
    // yet. Before, the hold had already created (and so locked) t|new before waiting: the booking
    // waited for the hold, the hold for s|a, and PostgreSQL broke the deadlock after a second.
    await a.transaction().execute(async (trx) => {
      await writeBookings(trx, [{ settlements: [{ keys: ['s|a'], costNano: 2 }] }]);
      release.open();
      await other;
      await writeBookings(trx, [{ settlements: [{ keys: ['t|new'], costNano: 2 }] }]);
    });
    expect(await hold).toHaveProperty('id');
    expect(await createBooks(a).balances(['r|z', 's|a', 't|new'])).toEqual([
      { settled: 1, held: 5 },
      { settled: 3, held: 5 },
      { settled: 2, held: 5 },
    ]);
  });

  it('GIVEN the store open THEN bigint parsing is set on its own pool, not for every pg user in the process', async () => {
    opened.push(await openLogDb(await pgBackend!.url()));
    expect(pg.types.getTypeParser(20)('12')).toBe('12');
    const c = new pg.Client({ connectionString: postgresAdminUrl });
    await c.connect();
    try {
      expect((await c.query<{ n: unknown }>('select count(*) as n from pg_class where false')).rows[0]!.n).toBe('0');
    } finally {
      await c.end();
    }
  });
});
