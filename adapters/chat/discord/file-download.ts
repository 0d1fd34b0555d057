import { AttachmentReadError, type AttachmentReadOptions } from '../../../src/shared/attachment.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { DOWNLOAD_TIMEOUT_MS, readCapped, withDeadline, type DownloadDeadline } from '../../../src/chat/capped-download.ts';

export { DOWNLOAD_TIMEOUT_MS, type DownloadDeadline };

/** Redirects followed, each only to one of the CDN's own hosts. */
const MAX_HOPS = 3;

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
  return withDeadline({ name, host: 'Discord’s CDN' }, deadline, o.signal, (signal) => downloadWithin(url, cdnOrigins, name, { ...o, signal }));
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
