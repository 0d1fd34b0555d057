import type { IncomingMessage, ServerResponse } from 'node:http';
import { snowflake } from './discord-payloads.ts';

/** A file people attach, as the fake's CDN will serve it. */
export interface FakeDiscordFile {
  name: string;
  content: Uint8Array | string;
  contentType?: string;
  channelId?: string;
  /** The size Discord reports with the attachment, when it should differ from the content's. */
  reportedSize?: number;
}

/** How a CDN download fails: 404 (deleted, or its signed link expired), 500, or `slow` (a first byte, then nothing). */
export type FakeCdnFailure = 'not_found' | 'server' | 'slow';

/** One CDN request the fake served (or refused). */
export interface FakeCdnDownload {
  attachmentId: string;
  /** Whatever authorization was sent: Discord's CDN needs none, and Hive must send no token there. */
  authorization: string | undefined;
}

/** The fake Discord's CDN: attachments served on loopback, as `cdn.discordapp.com` serves them. */
export interface FakeDiscordCdn {
  /** The value for `DISCORD_CDN_URL`. */
  origin: string;
  /** Stores a file and returns its attachment as Discord sends it (message `attachments`, `resolved.attachments`). */
  add(f: FakeDiscordFile): Record<string, unknown> & { id: string };
  fail(attachmentId: string, how: FakeCdnFailure): void;
  downloads: FakeCdnDownload[];
}

/** The CDN side of a fake Discord whose server listens at `origin`. */
export function createFakeCdn(origin: string) {
  const files = new Map<string, FakeDiscordFile>();
  const failures = new Map<string, FakeCdnFailure>();
  const downloads: FakeCdnDownload[] = [];
  const bytesOf = (f: FakeDiscordFile) => Buffer.from(f.content);
  const control: FakeDiscordCdn = {
    origin,
    add(f) {
      const id = snowflake();
      files.set(id, f);
      const path = `/attachments/${f.channelId ?? '1'}/${id}/${encodeURIComponent(f.name)}?ex=ffffffff&is=00000000&hm=${id}`;
      return {
        id,
        filename: f.name,
        size: f.reportedSize ?? bytesOf(f).length,
        url: `${origin}${path}`,
        proxy_url: `${origin}${path}`,
        ...(f.contentType ? { content_type: f.contentType } : {}),
      };
    },
    fail: (id, how) => void failures.set(id, how),
    downloads,
  };
  return {
    control,
    /** Serves `/attachments/…` when `req` is one. */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      const m = /^\/attachments\/\d+\/(\d+)\//.exec(new URL(req.url ?? '/', origin).pathname);
      if (!m) return false;
      downloads.push({ attachmentId: m[1]!, authorization: req.headers.authorization });
      const f = files.get(m[1]!);
      const how = f ? failures.get(m[1]!) : 'not_found';
      if (!f || how === 'not_found') return end(res, 404, 'This content is no longer available.');
      if (how === 'server') return end(res, 500, 'internal error');
      res.writeHead(200, { 'content-type': f.contentType ?? 'application/octet-stream' });
      if (how === 'slow') res.write(bytesOf(f).subarray(0, 1));
      else res.end(bytesOf(f));
      return true;
    },
  };
}

function end(res: ServerResponse, status: number, body: string): true {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
  return true;
}
