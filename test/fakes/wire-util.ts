import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Narrows unknown JSON to a plain object. */
export function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Narrows unknown JSON to an array. */
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Flattens string-or-blocks message content (Anthropic, OpenAI) to text. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return arr(content)
    .map((b) => obj(b)['text'])
    .filter((t): t is string => typeof t === 'string')
    .join('');
}

/** A vendor-style random id, e.g. `msg_01Xy…`. */
export function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

/** One header value, first if repeated. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The bearer token of an Authorization header. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = header(headers, 'authorization');
  return auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined;
}

/** Splits text into word-sized stream deltas that join back to the original. */
export function splitText(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

/** A rough, deterministic token estimate: a token per four characters, at least one. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** An SSE frame with an `event:` line, as Anthropic sends. */
export function eventFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A data-only SSE frame; Gemini separates frames with CRLF pairs. */
export function dataFrame(data: unknown, eol = '\n'): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}${eol}${eol}`;
}

/** Formats milliseconds the way Go prints durations: "120ms", "1.5s", "6m0s", "1h2m3s". */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Number(((ms % 60_000) / 1000).toFixed(3));
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Formats a protobuf-JSON duration as Google sends in RetryInfo: "7s", "1.5s". */
export function protoDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

/** An RFC 3339 instant at whole-second precision, rounded up so it is never early. */
export function rfc3339After(now: number, ms: number): string {
  return new Date(Math.ceil((now + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
