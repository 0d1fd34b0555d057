import { Redis } from 'ioredis';
import { HiveError } from '../../src/shared/errors.ts';
import { maskUrl } from '../store/redis/redis-connect.ts';

/** How long start-up waits for the queue's Redis to answer. */
export const QUEUE_CHECK_MS = 5_000;

/**
 * Start-up's check that `HIVE_QUEUE_URL` answers a PING within the deadline, so a wrong or
 * unreachable queue stops the process with the URL (password masked) and the reason, instead of
 * BullMQ retrying for ever in the background.
 */
export async function checkQueue(url: string, deadlineMs = QUEUE_CHECK_MS): Promise<void> {
  const r = new Redis(url, {
    lazyConnect: true,
    connectTimeout: deadlineMs,
    commandTimeout: deadlineMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let cause: Error | undefined;
  r.on('error', (e: Error) => void (cause = e)); // the socket's own reason, clearer than the client's
  // One deadline over everything: a host that accepts the connection and never answers (a wrong
  // port, a proxy with nothing behind it) would otherwise hold the connect's ready check for ever.
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`connected, but no answer within ${deadlineMs / 1000} s`)), deadlineMs);
  });
  try {
    await Promise.race([r.connect().then(() => r.ping()), silent]);
  } catch (err) {
    const reason = cause?.message ?? (err instanceof Error ? err.message : String(err));
    throw new HiveError(
      'queue_unreachable',
      `HIVE_QUEUE_URL ${maskUrl(url)} did not answer (${reason}): check that Redis runs there and the password is right`,
    );
  } finally {
    clearTimeout(timer);
    r.disconnect();
  }
}
