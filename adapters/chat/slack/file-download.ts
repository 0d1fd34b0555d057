import { AttachmentReadError, type AttachmentReadOptions } from '../../../src/shared/attachment.ts';
import { systemClock } from '../../../src/shared/clock.ts';
import { DOWNLOAD_TIMEOUT_MS, readCapped, withDeadline, type DownloadDeadline } from '../../../src/chat/capped-download.ts';

export { DOWNLOAD_TIMEOUT_MS, type DownloadDeadline };

/** Redirects followed within the file host (Slack moves a download between paths of its own host). */
const MAX_HOPS = 3;

/** What a download on Slack's file host needs: where it may go and the token it carries. */
export interface SlackDownload {
  url: string;
  /** The only origin a download (and each redirect of it) may reach: Slack's file host. */
  filesOrigin: string;
  token: string;
  name: string;
  /** The type `files.info` reports: an HTML answer for a file that is not HTML is Slack's login page. */
  declaredType: string | undefined;
  /** Default: {@link DOWNLOAD_TIMEOUT_MS} on the system clock. */
  deadline?: DownloadDeadline;
}

/** Whether a URL is on the file host, compared by origin (scheme, host and port), never by prefix. */
export function onFileHost(url: string, filesOrigin: string): boolean {
  try {
    return new URL(url).origin === new URL(filesOrigin).origin;
  } catch {
    return false;
  }
}

/**
 * Downloads a file from Slack's file host with the bot token, reading at most `maxBytes`. A redirect
 * is followed only within that host; Slack answers a token it does not accept with its HTML login
 * page (or a redirect to it), which is `forbidden`, never bytes of the file. A download not done by
 * its deadline is abandoned as `download_failed`, whatever the caller's own signal allows.
 */
export async function downloadSlackFile(d: SlackDownload, o: AttachmentReadOptions): Promise<Uint8Array> {
  const deadline = d.deadline ?? { clock: systemClock, ms: DOWNLOAD_TIMEOUT_MS };
  return withDeadline({ name: d.name, host: 'Slack’s file host' }, deadline, o.signal, (signal) => downloadWithin(d, { ...o, signal }));
}

async function downloadWithin(d: SlackDownload, o: AttachmentReadOptions): Promise<Uint8Array> {
  let url = d.url;
  for (let hop = 0; hop <= MAX_HOPS; hop++) {
    if (!onFileHost(url, d.filesOrigin)) throw new AttachmentReadError('forbidden', d.name, 'not on Slack’s file host');
    const r = await get(url, d, o);
    if (r.status >= 300 && r.status < 400) {
      await r.body?.cancel();
      const next = r.headers.get('location');
      if (!next) throw new AttachmentReadError('download_failed', d.name, `Slack answered ${r.status} without a location`);
      // A redirect off the file host is Slack's sign-in page: the token was not accepted.
      if (!onFileHost(new URL(next, url).toString(), d.filesOrigin)) throw new AttachmentReadError('forbidden', d.name, 'Slack did not accept the token');
      url = new URL(next, url).toString();
      continue;
    }
    return await bodyOf(r, d, o);
  }
  throw new AttachmentReadError('download_failed', d.name, 'too many redirects');
}

async function get(url: string, d: SlackDownload, o: AttachmentReadOptions): Promise<Response> {
  try {
    return await fetch(url, { headers: { authorization: `Bearer ${d.token}` }, redirect: 'manual', ...(o.signal ? { signal: o.signal } : {}) });
  } catch {
    // No cause: a fetch error may quote the request.
    throw new AttachmentReadError('download_failed', d.name, 'Slack’s file host could not be reached');
  }
}

async function bodyOf(r: Response, d: SlackDownload, o: AttachmentReadOptions): Promise<Uint8Array> {
  const fail = async (code: ConstructorParameters<typeof AttachmentReadError>[0], why: string): Promise<never> => {
    await r.body?.cancel().catch(() => undefined);
    throw new AttachmentReadError(code, d.name, why);
  };
  if (r.status === 404 || r.status === 410) return fail('not_found', 'Slack no longer has this file');
  if (r.status === 401 || r.status === 403) return fail('forbidden', 'Slack refused the download');
  if (!r.ok) return fail('download_failed', `Slack’s file host answered ${r.status}`);
  const type = (r.headers.get('content-type') ?? '').toLowerCase();
  if (type.startsWith('text/html') && d.declaredType !== 'text/html') return fail('forbidden', 'Slack did not accept the token');
  const declared = Number(r.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > o.maxBytes) return fail('too_large', `over ${o.maxBytes} bytes`);
  return readCapped(r, d.name, o.maxBytes);
}
