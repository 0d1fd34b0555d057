import type { OutageSigns } from '../../src/store/outage-wait.ts';

const codeOf = (err: unknown): string => (typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '');
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Socket failures that mean the server is not reachable right now. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE']);

/**
 * PostgreSQL is away when a connection cannot be had: the socket is refused or reset, the pool's
 * connect deadline passed, or the server is starting, shutting down or out of connections
 * (SQLSTATE 57P03, 57P01, 53300, class 08). A wrong password or database is not an outage.
 */
export const postgresOutage: OutageSigns = {
  acquire(err) {
    const code = codeOf(err);
    if (SOCKET_CODES.has(code) || code === '57P03' || code === '57P01' || code === '53300' || code.startsWith('08')) return true;
    return /timeout exceeded when trying to connect|Connection terminated/i.test(messageOf(err));
  },
  statement: () => false,
};

/** SQLite is away while another process holds its lock: the statement was turned away unrun (SQLITE_BUSY, SQLITE_LOCKED). */
export const sqliteOutage: OutageSigns = {
  acquire: () => false,
  statement: (err) => /^SQLITE_(BUSY|LOCKED)/.test(codeOf(err)),
};
