import { AttachmentReadError } from '../shared/attachment.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * Reads a download's body, stopping (and failing `too_large`) as soon as it passes `maxBytes`, so a
 * file host that sends more than it declared never makes Hive hold more than the limit. A body that
 * breaks off part-way is `download_failed`. The bytes come back as a plain `Uint8Array`, never a
 * Node Buffer: PDF.js refuses a Buffer, so a PDF read as one could not be opened.
 */
export async function readCapped(r: Response, name: string, maxBytes: number): Promise<Uint8Array> {
  const reader = r.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (let c = await reader.read(); !c.done; c = await reader.read()) {
      size += c.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new AttachmentReadError('too_large', name, `over ${maxBytes} bytes`);
      }
      chunks.push(c.value);
    }
  } catch (err) {
    if (err instanceof AttachmentReadError) throw err;
    throw new AttachmentReadError('download_failed', name, 'the download stopped part-way');
  }
  return joined(chunks, size);
}

/** The chunks in one new plain array of `size` bytes. */
function joined(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * How long one download may take, redirects and body included: a platform's file host sends even a
 * file at the 20 MB limit in seconds, so a download still going after a minute has stalled, and
 * holding the job for it would only hold its budget and its reply.
 */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The deadline a download runs against, on the adapter's clock (tests pass a manual one). */
export interface DownloadDeadline {
  clock: Clock;
  ms: number;
}

/**
 * Runs `download` with a signal that aborts when the caller's does or the deadline passes; a
 * failure after the deadline passed is reported as the stall it is, naming the `host`.
 */
export async function withDeadline<T>(
  file: { name: string; host: string },
  d: DownloadDeadline,
  outer: AbortSignal | undefined,
  download: (s: AbortSignal) => Promise<T>,
): Promise<T> {
  const ctl = new AbortController();
  const follow = () => ctl.abort(outer?.reason);
  if (outer?.aborted) follow();
  outer?.addEventListener('abort', follow, { once: true });
  let expired = false;
  d.clock.sleep(d.ms, ctl.signal).then(
    () => {
      expired = true;
      ctl.abort(new Error('download deadline passed'));
    },
    () => undefined,
  );
  try {
    return await download(ctl.signal);
  } catch (err) {
    if (expired) throw new AttachmentReadError('download_failed', file.name, `${file.host} did not finish within ${d.ms / 1000} s`);
    throw err;
  } finally {
    outer?.removeEventListener('abort', follow);
    // Ends the deadline's sleep (a finished download leaves no timer behind).
    ctl.abort();
  }
}
