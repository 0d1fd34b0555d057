import { AttachmentReadError, type AttachmentReadOptions } from '../../../src/shared/attachment.ts';

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
 * most `maxBytes`; a redirect is followed only to the CDN's own hosts.
 */
export async function downloadFromCdn(url: string, cdnOrigins: readonly string[], name: string, o: AttachmentReadOptions): Promise<Uint8Array> {
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

/** Reads a response body, stopping (and failing `too_large`) as soon as it passes `maxBytes`. */
async function readCapped(r: Response, name: string, maxBytes: number): Promise<Uint8Array> {
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
  return Buffer.concat(chunks, size);
}
