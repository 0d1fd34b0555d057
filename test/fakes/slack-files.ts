import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file the fake Slack holds, as a person shared it. */
export interface FakeSlackFile {
  id: string;
  name: string;
  mimetype?: string;
  content: Uint8Array | string;
  /** Where and by whom it was shared (what `files.list` filters on). */
  channel?: string;
  user?: string;
  /** When it was shared, epoch seconds (default: now by the fake's clock). */
  created?: number;
  /** The size `files.info` reports, when it should differ from the content's (a file that grew). */
  reportedSize?: number;
}

/**
 * How a file's download fails: 404 or 500 from the file host, `slow` (the headers and a first chunk,
 * then nothing until the reader gives up), `off_host` (`files.info` names a URL on another host).
 */
export type FakeFileFailure = 'not_found' | 'server' | 'slow' | 'off_host';

/** A download the fake's file host served (or refused). */
export interface FakeSlackDownload {
  fileId: string;
  token: string | undefined;
  /** The token was one of a workspace's: the file was served, not the login page. */
  authorized: boolean;
}

/** The files side of the fake Slack: `files.info`, `files.list` and the private download URLs. */
export interface FakeSlackFiles {
  add(f: FakeSlackFile): void;
  fail(fileId: string, how: FakeFileFailure): void;
  downloads: FakeSlackDownload[];
}

/** Slack's answer to a download without a token it accepts: its sign-in page, with status 200. */
const LOGIN_PAGE = '<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to your workspace</body></html>';

/** Files state for one fake; `origin` is where its downloads are served, `now` its clock. */
export function createFakeSlackFiles(origin: string, now: () => number) {
  const files = new Map<string, FakeSlackFile>();
  const failures = new Map<string, FakeFileFailure>();
  const downloads: FakeSlackDownload[] = [];
  const bytesOf = (f: FakeSlackFile) => (typeof f.content === 'string' ? Buffer.from(f.content) : Buffer.from(f.content));
  const describe = (f: FakeSlackFile, teamId: string) => {
    const host = failures.get(f.id) === 'off_host' ? origin.replace('127.0.0.1', 'localhost') : origin;
    const url = `${host}/files-pri/${teamId}-${f.id}/download/${encodeURIComponent(f.name)}`;
    return {
      id: f.id,
      name: f.name,
      title: f.name,
      mimetype: f.mimetype ?? 'application/octet-stream',
      size: f.reportedSize ?? bytesOf(f).length,
      created: f.created ?? Math.floor(now() / 1000),
      user: f.user,
      channels: f.channel ? [f.channel] : [],
      permalink: `https://fake.slack.com/files/${f.user ?? 'U0'}/${f.id}/${encodeURIComponent(f.name)}`,
      url_private: url,
      url_private_download: url,
    };
  };
  return {
    control: {
      add: (f: FakeSlackFile) => void files.set(f.id, f),
      fail: (id: string, how: FakeFileFailure) => void failures.set(id, how),
      downloads,
    } satisfies FakeSlackFiles,
    /** `files.info` and `files.list` for a known workspace's token. */
    answer(method: string, b: Record<string, unknown>, teamId: string | undefined): Record<string, unknown> | undefined {
      if (method !== 'files.info' && method !== 'files.list') return undefined;
      if (!teamId) return { ok: false, error: 'invalid_auth' };
      if (method === 'files.info') {
        const f = files.get(String(b.file));
        return f ? { ok: true, file: describe(f, teamId) } : { ok: false, error: 'file_not_found' };
      }
      const from = Number(b.ts_from ?? 0);
      const listed = [...files.values()]
        .filter((f) => (!b.channel || f.channel === b.channel) && (!b.user || f.user === b.user) && (f.created ?? now() / 1000) >= from)
        .map((f) => describe(f, teamId))
        .sort((x, y) => y.created - x.created);
      return { ok: true, files: listed, paging: { count: listed.length, total: listed.length, page: 1, pages: 1 } };
    },
    /** Serves `/files-pri/…` when `req` is one; `teamOf` names the workspace of a bot token. */
    serve(req: IncomingMessage, res: ServerResponse, teamOf: (token: string | undefined) => string | undefined): boolean {
      const m = /^\/files-pri\/[^/]+-([^/]+)\/download\//.exec(new URL(req.url ?? '/', origin).pathname);
      if (!m) return false;
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      const f = files.get(m[1]!);
      const authorized = teamOf(token) !== undefined;
      downloads.push({ fileId: m[1]!, token, authorized });
      if (!authorized) return end(res, 200, 'text/html; charset=utf-8', LOGIN_PAGE);
      const how = f ? failures.get(f.id) : 'not_found';
      if (!f || how === 'not_found') return end(res, 404, 'text/plain', 'file not found');
      if (how === 'server') return end(res, 500, 'text/plain', 'internal error');
      const body = bytesOf(f);
      res.writeHead(200, { 'content-type': f.mimetype ?? 'application/octet-stream', 'content-disposition': `attachment; filename="${f.id}"` });
      if (how === 'slow') {
        res.write(body.subarray(0, Math.min(1, body.length)));
        return true;
      }
      res.end(body);
      return true;
    },
  };
}

function end(res: ServerResponse, status: number, type: string, body: string): true {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
  return true;
}
