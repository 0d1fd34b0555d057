import { HiveError } from '../../../src/shared/errors.ts';

/** A database URL fit for a log line or an error: the password, in the URL or its query, as `***`. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of ['password', 'sslpassword']) if (u.searchParams.has(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return `${url.split(':')[0]}://…`;
  }
}

/** What to check for each way a first connection fails (node-postgres system errors and SQLSTATEs). */
const ADVICE: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there: check the host and port, and that PostgreSQL is running',
  ENOTFOUND: 'the host name does not resolve: check the host in the URL',
  EAI_AGAIN: 'the host name does not resolve: check the host in the URL and DNS',
  ETIMEDOUT: 'no answer: check the host and port, and that no firewall drops the connection',
  timeout: 'no answer: check the host and port, and that no firewall drops the connection',
  '28P01': 'the server refused the password: check the user and password in the URL',
  '28000': 'the server refused this user or client address (pg_hba.conf): check the user, and that the server allows this host',
  '3D000': 'the database does not exist: create it (`createdb <name>`) or fix the name in the URL',
  '53300': 'the server has no free connection slots: raise max_connections or lower other clients',
};

/** The start-up error for a PostgreSQL log store that could not be reached, naming the URL (password masked). */
export function connectFailure(url: string, cause: unknown, deadlineMs: number): HiveError {
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : 'unknown';
  const reason = cause instanceof Error && cause.message ? cause.message : String(cause);
  const advice = ADVICE[code] ?? 'check that the server is running and reachable, and the user, password and database in the URL';
  return new HiveError(
    'log_store_unavailable',
    `HIVE_DATABASE_URL: could not connect to PostgreSQL at ${maskDatabaseUrl(url)} within ${deadlineMs / 1000} s (${reason}); ${advice}.`,
    { cause, retryable: true },
  );
}
