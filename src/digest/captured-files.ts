import type { CapturedFile } from '../chat/capture-event.ts';

/**
 * The files of a captured message ride in its stored text after this mark (the capture table has
 * no column for them), as `[{"name":…,"link":…}]`. People's own text never keeps the mark, so a
 * message cannot forge a file note or a link.
 */
const MARK = '\u2063files:';

/** Files noted per message at most (a message carries up to 10 on Slack and Discord). */
const MAX_FILES = 10;
const MAX_NAME = 200;
const MAX_LINK = 1000;

/** The text as stored: the person's text (without any forged mark) and the message's files, if any. */
export function withFileNote(text: string, files: readonly CapturedFile[] | undefined): string {
  const own = text.split(MARK).join('');
  const kept = (files ?? []).slice(0, MAX_FILES).flatMap(tidy);
  return kept.length > 0 ? `${own}${MARK}${JSON.stringify(kept)}` : own;
}

/** The stored text split back into the person's text and the files noted with it. */
export function splitFileNote(stored: string): { text: string; files: CapturedFile[] } {
  const at = stored.lastIndexOf(MARK);
  if (at < 0) return { text: stored, files: [] };
  return { text: stored.slice(0, at), files: parse(stored.slice(at + MARK.length)) };
}

function parse(raw: string): CapturedFile[] {
  try {
    const v: unknown = JSON.parse(raw);
    return Array.isArray(v) ? v.flatMap(tidy) : [];
  } catch {
    return [];
  }
}

/** A file as noted: a name, and a link only when it is an http(s) URL. */
function tidy(f: unknown): CapturedFile[] {
  if (typeof f !== 'object' || f === null) return [];
  const { name, link } = f as { name?: unknown; link?: unknown };
  if (typeof name !== 'string' || name.trim() === '') return [];
  const ok = typeof link === 'string' && link.length <= MAX_LINK && /^https?:\/\/[^\s<>|]+$/.test(link);
  return [{ name: name.slice(0, MAX_NAME), ...(ok ? { link } : {}) }];
}

/** How a message's files read in the data a digest's model summarises: by name, never their content. */
export function fileNoteForModel(files: readonly CapturedFile[]): string {
  return files.length > 0 ? ` (files shared: ${files.map((f) => f.name).join(', ')})` : '';
}
