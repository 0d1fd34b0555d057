import { createClient, type RedisClientType } from '@keyv/redis';
import { HiveError } from '../../../src/shared/errors.ts';

/** A URL fit for a log line or an error: the password (and a user's token) replaced by `***`. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    else if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/**
 * Connects one Redis client for every namespace and the claims, within `deadlineMs`. Before the
 * first connection a failure ends the attempt (so start-up fails fast with the reason); once
 * connected, a dropped connection is retried with a capped backoff.
 */
export async function connectRedis(url: string, deadlineMs: number): Promise<RedisClientType> {
  let connected = false;
  let lastError: Error | undefined;
  const client = createClient({
    url,
    socket: {
      connectTimeout: deadlineMs,
      reconnectStrategy: (retries: number, cause: Error) => {
        lastError = cause;
        return connected ? Math.min(5000, 100 * 2 ** Math.min(retries, 6)) : cause;
      },
    },
  }) as RedisClientType;
  client.on('error', (e: Error) => void (lastError = e)); // surfaced by the failing command
  client.setMaxListeners(32); // every Keyv namespace (the legacy import's too) listens on this one client
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(deadlineMs / 1000)} s`)), deadlineMs);
  });
  try {
    await Promise.race([client.connect(), deadline]);
    connected = true;
    return client;
  } catch (e) {
    try {
      client.destroy();
    } catch {
      // already closed by the failed connection attempt
    }
    const reason = (lastError ?? (e instanceof Error ? e : new Error(String(e)))).message || 'connection failed';
    throw new HiveError(
      'store_unreachable',
      `Could not connect to the store at ${maskUrl(url)} (HIVE_STORE_URL): ${reason}. Check that Redis is running and reachable, or unset HIVE_STORE_URL to use SQLite in the data folder.`,
      { cause: e },
    );
  } finally {
    clearTimeout(timer);
  }
}
