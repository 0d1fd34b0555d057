import type { DatabaseConnection, Dialect, Driver } from 'kysely';
import { HiveError } from '../shared/errors.ts';

/** Which failures mean the database is away for now (and nothing was done), per backend. */
export interface OutageSigns {
  /** A connection could not be had (server down, restarting, out of connections). */
  acquire(err: unknown): boolean;
  /** A statement was turned away before it ran (SQLite's lock held by another process). */
  statement(err: unknown): boolean;
}

export interface OutageWaitOptions {
  signs: OutageSigns;
  /** How long one operation waits for the database before its error is passed on. */
  waitMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told when an operation starts waiting, and when the database answered again after a wait. */
  onOutage?: (state: 'waiting' | 'back', err?: unknown) => void;
}

/** The first pause between tries; doubled up to `MAX_PAUSE_MS`. */
const FIRST_PAUSE_MS = 50;
const MAX_PAUSE_MS = 2_000;

/**
 * The log database seen through a short outage: getting a connection, and a statement the
 * database turned away unrun, are tried again with backoff for up to `waitMs`, so work in flight
 * pauses while PostgreSQL restarts (or another process holds SQLite's lock) instead of failing.
 * Nothing that may have run is repeated; past the wait the error carries `retryable`.
 */
export function withOutageWait(inner: Dialect, o: OutageWaitOptions): Dialect {
  return {
    createAdapter: () => inner.createAdapter(),
    createQueryCompiler: () => inner.createQueryCompiler(),
    createIntrospector: (db) => inner.createIntrospector(db),
    createDriver: () => waitingDriver(inner.createDriver(), o),
  };
}

function waitingDriver(d: Driver, o: OutageWaitOptions): Driver {
  const inner = new WeakMap<DatabaseConnection, DatabaseConnection>();
  const raw = (c: DatabaseConnection) => inner.get(c) ?? c;
  const statement = <T>(run: () => Promise<T>) => untilBack(o, o.signs.statement, run);
  const driver: Driver = {
    init: () => d.init(),
    async acquireConnection() {
      const c = await untilBack(o, o.signs.acquire, () => d.acquireConnection());
      const wrapped: DatabaseConnection = {
        executeQuery: (q) => statement(() => c.executeQuery(q)),
        streamQuery: (q, chunkSize) => c.streamQuery(q, chunkSize),
      };
      inner.set(wrapped, c);
      return wrapped;
    },
    beginTransaction: (c, settings) => statement(() => d.beginTransaction(raw(c), settings)),
    commitTransaction: (c) => statement(() => d.commitTransaction(raw(c))),
    rollbackTransaction: (c) => d.rollbackTransaction(raw(c)),
    releaseConnection: (c) => d.releaseConnection(raw(c)),
    destroy: () => d.destroy(),
  };
  if (d.savepoint) driver.savepoint = (c, name, compile) => d.savepoint!(raw(c), name, compile);
  if (d.rollbackToSavepoint) driver.rollbackToSavepoint = (c, name, compile) => d.rollbackToSavepoint!(raw(c), name, compile);
  if (d.releaseSavepoint) driver.releaseSavepoint = (c, name, compile) => d.releaseSavepoint!(raw(c), name, compile);
  return driver;
}

/** Runs `work`, again after a growing pause while `isOutage` says the database is away, until `waitMs` is spent. */
async function untilBack<T>(o: OutageWaitOptions, isOutage: (err: unknown) => boolean, work: () => Promise<T>): Promise<T> {
  const since = o.now();
  let pause = FIRST_PAUSE_MS;
  let waited = false;
  for (;;) {
    try {
      const result = await work();
      if (waited) o.onOutage?.('back');
      return result;
    } catch (err) {
      if (!isOutage(err)) throw err;
      if (o.now() - since >= o.waitMs) throw unavailable(err, o.waitMs);
      if (!waited) o.onOutage?.('waiting', err);
      waited = true;
      await o.sleep(Math.min(pause, Math.max(0, since + o.waitMs - o.now())));
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    }
  }
}

function unavailable(cause: unknown, waitMs: number): HiveError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new HiveError('log_store_unavailable', `the log database did not answer within ${Math.round(waitMs / 1000)} s (${why})`, {
    retryable: true,
    cause,
  });
}
