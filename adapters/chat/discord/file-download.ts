import { AttachmentReadError, type AttachmentReadOptions } from '../../../src/shared/attachment.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import { readCapped } from '../../../src/chat/capped-download.ts';

/** Redirects followed, each only to one of the CDN's own hosts. */
const MAX_HOPS = 3;

/**
 * How long one download may take, redirects and body included: the CDN sends even a file at the
 * 20 MB limit in seconds, so a download still going after a minute has stalled, and holding the job
 * for it would only hold its budget and its reply.
 */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The deadline a download runs against (tests pass a manual clock). */
export interface DownloadDeadline {
  clock: Clock;
  ms: number;
}

/** Whether a URL's origin (scheme, host and port) is one of the CDN's, compared exactly. */
export function onCdn(url: string, cdnOrigins: readonly string[]): boolean {
  try {
    const origin = new URL(url).origin;
    return cdnOrigins.some((o) => new URL(o).origin === origin);
  } catch {
    return false;
  }
}

/**
 * Downloads an attachment from Discord's CDN (its URLs are signed: no token is sent), reading at
 * most `maxBytes`; a redirect is followed only to the CDN's own hosts. A download not done by its
 * deadline is abandoned as `download_failed`, whatever the caller's own signal allows.
 */
export async function downloadFromCdn(
  url: string,
  cdnOrigins: readonly string[],
  name: string,
  o: AttachmentReadOptions,
  deadline: DownloadDeadline = { clock: systemClock, ms: DOWNLOAD_TIMEOUT_MS },
): Promise<Uint8Array> {
  return withDeadline(name, deadline, o.signal, (signal) => downloadWithin(url, cdnOrigins, name, { ...o, signal }));
}

/**
 * Runs `download` with a signal that aborts when the caller's does or the deadline passes; a
 * failure after the deadline passed is reported as the stall it is.
 */
async function withDeadline<T>(name: string, d: DownloadDeadline, outer: AbortSignal | undefined, download: (s: AbortSignal) => Promise<T>): Promise<T> {
  const ctl = new AbortController();
  const follow = () => ctl.abort(outer?.reason);
  if (outer?.aborted) follow();
  outer?.addEventListener('abort', follow, { once: true });
  let expired = false;
  d.clock.sleep(d.ms, ctl.signal).then(
    () => {
      expired = true;
      ctl.abort();
    },
    () => undefined,
  );
  try {
    return await download(ctl.signal);
  } catch (err) {
    if (expired) throw new AttachmentReadError('download_failed', name, `Discord’s CDN did not finish within ${d.ms / 1000} s`);
    throw err;
  } finally {
    outer?.removeEventListener('abort', follow);
    // Ends the deadline's sleep (a finished download leaves no timer behind).
    ctl.abort();
  }
}

async function downloadWithin(url: string, cdnOrigins: readonly string[], name: string, o: AttachmentReadOptions): Promise<Uint8Array> {
  let at = url;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    if (!onCdn(at, cdnOrigins)) throw new AttachmentReadError('forbidden', name, 'not on Discord’s CDN');
    const r = await get(at, name, o);
    if (r.status >= 300 && r.status < 400) {
      await r.body?.cancel();
      const next = r.headers.get('location');
      if (!next) throw new AttachmentReadError('download_failed', name, `Discord answered ${r.status} without a location`);
      at = new URL(next, at).toString();
      continue;
    }
    return await bodyOf(r, name, o);
  }
  throw new AttachmentReadError('download_failed', name, 'too many redirects');
}

async function get(url: string, name: string, o: AttachmentReadOptions): Promise<Response> {
  try {
    return await fetch(url, { redirect: 'manual', ...(o.signal ? { signal: o.signal } : {}) });
  } catch {
    throw new AttachmentReadError('download_failed', name, 'Discord’s CDN could not be reached');
  }
}

async function bodyOf(r: Response, name: string, o: AttachmentReadOptions): Promise<Uint8Array> {
  const fail = async (code: ConstructorParameters<typeof AttachmentReadError>[0], why: string): Promise<never> => {
    await r.body?.cancel().catch(() => undefined);
    throw new AttachmentReadError(code, name, why);
  };
  // An expired signed URL is a 404 ("This content is no longer available") as a deleted file is.
  if (r.status === 404 || r.status === 410) return fail('not_found', 'Discord no longer has this file (or its link expired)');
  if (r.status === 401 || r.status === 403) return fail('forbidden', 'Discord refused the download');
  if (!r.ok) return fail('download_failed', `Discord’s CDN answered ${r.status}`);
  const declared = Number(r.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > o.maxBytes) return fail('too_large', `over ${o.maxBytes} bytes`);
  return readCapped(r, name, o.maxBytes);
}
