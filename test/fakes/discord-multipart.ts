import type http from 'node:http';
import { snowflake } from './discord-payloads.ts';

/** A file sent with a message (a multipart `files[n]` part), as the fake received it. */
export interface FakeDiscordFile {
  /** The form field: `files[0]`, … */
  field: string;
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

/** A request body as Discord takes it: JSON, or multipart/form-data with `payload_json` and `files[n]`. */
export interface DiscordBody {
  body: Record<string, unknown> | undefined;
  files: FakeDiscordFile[];
  /** Why Discord would refuse the form (`Invalid Form Body`), when it would. */
  invalid?: string;
}

/** Discord's answer to a malformed form. */
export const INVALID_FORM_BODY = { code: 50035, message: 'Invalid Form Body' };

/** Reads a JSON or multipart body; a multipart one's attachments must each name a `files[n]` part sent with it. */
export async function readDiscordBody(req: http.IncomingMessage): Promise<DiscordBody> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    const text = raw.toString('utf8');
    return { body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>), files: [] };
  }
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  const files: FakeDiscordFile[] = [];
  for (const [field, v] of form.entries()) {
    if (typeof v === 'string' || !/^files\[\d+\]$/.test(field)) continue;
    files.push({ field, name: v.name, contentType: v.type, bytes: new Uint8Array(await v.arrayBuffer()) });
  }
  const payload = form.get('payload_json');
  const body = typeof payload === 'string' ? (JSON.parse(payload) as Record<string, unknown>) : {};
  const invalid = formProblem(body, files);
  return { body, files, ...(invalid ? { invalid } : {}) };
}

function formProblem(body: Record<string, unknown>, files: FakeDiscordFile[]): string | undefined {
  if (files.length === 0) return 'a multipart message with no files';
  const named = Array.isArray(body['attachments']) ? (body['attachments'] as { id?: unknown }[]) : [];
  const missing = named.find((a) => !files.some((f) => f.field === `files[${String(a.id)}]`));
  return missing ? `attachment ${String(missing.id)} names no files[${String(missing.id)}] part` : undefined;
}

/** A created message with the files it was sent with, as Discord lists them (`attachments`). */
export function withAttachments<M extends { attachments: unknown[] }>(message: M, b: Pick<DiscordBody, 'body' | 'files'>, origin: string): M {
  if (b.files.length === 0) return message;
  const described = Array.isArray(b.body?.['attachments']) ? (b.body['attachments'] as { id?: unknown; description?: unknown }[]) : [];
  const attachments = b.files.map((f) => {
    const id = snowflake();
    const description = described.find((a) => f.field === `files[${String(a.id)}]`)?.description;
    return {
      id,
      filename: f.name,
      size: f.bytes.length,
      content_type: f.contentType,
      url: `${origin}/attachments/${id}/${encodeURIComponent(f.name)}`,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
  return { ...message, attachments };
}
