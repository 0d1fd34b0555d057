import type { IncomingMessage, ServerResponse } from 'node:http';

/** A file the bot uploaded through Slack's external upload, as the fake holds it. */
export interface FakeSlackUpload {
  id: string;
  filename: string;
  /** The length announced to `files.getUploadURLExternal`. */
  length: number;
  altText?: string;
  /** The bytes posted to the upload URL; absent until they arrive. */
  bytes?: Uint8Array;
  /** Set by `files.completeUploadExternal`. */
  title?: string;
  /** Where it was shared (absent: completed but private to the bot), and in which thread. */
  channel?: string;
  threadTs?: string;
  completed: boolean;
}

/** The upload side of the fake Slack: see what was uploaded and shared. */
export interface FakeSlackUploads {
  uploads: FakeSlackUpload[];
  /** Uploads completed and shared in a conversation. */
  shared(): FakeSlackUpload[];
  /** The DM `conversations.open` names for a person: `D` and their id without its `U`. */
  dmOf(userId: string): string;
}

const dmOf = (userId: string) => `D${userId.replace(/^U/, '')}`;

/**
 * `files.getUploadURLExternal` (an upload URL on the fake), the POST of the bytes to it,
 * `files.completeUploadExternal`, and `conversations.open` for a DM; arguments checked as Slack
 * checks them (`invalid_arguments` when one is missing or malformed).
 */
export function createFakeSlackUploads(origin: string) {
  const uploads: FakeSlackUpload[] = [];
  const byId = (id: unknown) => uploads.find((u) => u.id === id);
  return {
    control: { uploads, shared: () => uploads.filter((u) => u.completed && u.channel), dmOf } satisfies FakeSlackUploads,
    answer(method: string, b: Record<string, unknown>, teamId: string | undefined): Record<string, unknown> | undefined {
      if (!['files.getUploadURLExternal', 'files.completeUploadExternal', 'conversations.open'].includes(method)) return undefined;
      if (!teamId) return { ok: false, error: 'invalid_auth' };
      if (method === 'conversations.open') {
        if (typeof b.users !== 'string' || b.users === '') return { ok: false, error: 'users_list_not_supplied' };
        return { ok: true, channel: { id: dmOf(b.users.split(',')[0]!) } };
      }
      if (method === 'files.getUploadURLExternal') return uploadUrl(uploads, origin, b);
      return complete(b, byId);
    },
    /** Takes the bytes posted to an upload URL (multipart, as the WebClient sends them, or raw). */
    serve(req: IncomingMessage, res: ServerResponse): boolean {
      const m = /^\/upload\/v1\/([^/]+)$/.exec(new URL(req.url ?? '/', origin).pathname);
      if (!m) return false;
      void receive(req, byId(m[1]!)).then((status) => {
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end(status === 200 ? 'OK' : 'upload failed');
      });
      return true;
    },
  };
}

function uploadUrl(uploads: FakeSlackUpload[], origin: string, b: Record<string, unknown>): Record<string, unknown> {
  const length = Number(b.length);
  if (typeof b.filename !== 'string' || b.filename === '' || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
  const id = `F${String(uploads.length + 1).padStart(8, '0')}`;
  const alt = b.alt_txt ?? b.alt_text;
  uploads.push({ id, filename: b.filename, length, completed: false, ...(typeof alt === 'string' ? { altText: alt } : {}) });
  return { ok: true, upload_url: `${origin}/upload/v1/${id}`, file_id: id };
}

function complete(b: Record<string, unknown>, byId: (id: unknown) => FakeSlackUpload | undefined): Record<string, unknown> {
  const files = typeof b.files === 'string' ? tryJson(b.files) : b.files;
  if (!Array.isArray(files) || files.length === 0) return { ok: false, error: 'invalid_arguments' };
  if (b.thread_ts !== undefined && typeof b.channel_id !== 'string') return { ok: false, error: 'invalid_arguments' };
  const found = (files as { id?: unknown; title?: unknown }[]).map((f) => ({ f, u: byId(f.id) }));
  if (found.some(({ u }) => !u || !u.bytes)) return { ok: false, error: 'file_not_found' };
  for (const { f, u } of found) {
    Object.assign(u!, { completed: true, ...(typeof f.title === 'string' ? { title: f.title } : {}) });
    if (typeof b.channel_id === 'string') Object.assign(u!, { channel: b.channel_id, ...(typeof b.thread_ts === 'string' ? { threadTs: b.thread_ts } : {}) });
  }
  return { ok: true, files: found.map(({ u }) => ({ id: u!.id, name: u!.filename, title: u!.title ?? u!.filename })) };
}

async function receive(req: IncomingMessage, upload: FakeSlackUpload | undefined): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (!upload || req.method !== 'POST') return 404;
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    upload.bytes = new Uint8Array(raw);
    return 200;
  }
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const file = [...form.values()].find((v): v is File => typeof v !== 'string');
  if (!file) return 400;
  upload.bytes = new Uint8Array(await file.arrayBuffer());
  return 200;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}
