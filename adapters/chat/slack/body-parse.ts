/** A Slack request body as a plain object, or the short reason it is not one (logged, answered 400). */
export type ParsedBody = { ok: true; body: Record<string, unknown> } | { ok: false; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses the raw bytes the way Slack sends them: form encoding (slash commands; interactivity as a
 * JSON `payload` field) or JSON (Events API). Strict where Bolt is lenient: invalid UTF-8, broken
 * percent-encoding, repeated form fields and anything but a JSON object are refused.
 */
export function parseSlackBody(raw: Buffer, contentType: string | undefined): ParsedBody {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, reason: 'body is not UTF-8' };
  }
  if (!isForm(contentType)) return parseJsonObject(text, 'body');
  const form = parseForm(text);
  if (!form.ok) return form;
  const payload = form.body.payload;
  return typeof payload === 'string' ? parseJsonObject(payload, 'payload') : form;
}

/** `application/x-www-form-urlencoded`, parameters (`; charset=utf-8`) and case aside. */
export function isForm(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

function parseJsonObject(text: string, what: string): ParsedBody {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${what} is not JSON` };
  }
  if (!isRecord(value)) return { ok: false, reason: `${what} is not a JSON object` };
  return { ok: true, body: value };
}

function parseForm(text: string): ParsedBody {
  const entries: [string, string][] = [];
  const seen = new Set<string>();
  for (const piece of text.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = decodeFormPart(eq < 0 ? piece : piece.slice(0, eq));
    const value = decodeFormPart(eq < 0 ? '' : piece.slice(eq + 1));
    if (key === undefined || value === undefined) return { ok: false, reason: 'bad form encoding' };
    if (seen.has(key)) return { ok: false, reason: 'repeated form field' };
    seen.add(key);
    entries.push([key, value]);
  }
  return { ok: true, body: Object.fromEntries(entries) };
}

function decodeFormPart(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** A non-null, non-array object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
