/** Sizes and names as people read them in a refusal or a note. */

const MB = 1024 * 1024;

/** `20 MB`, `1.5 MB`, `340 KB`, `12 bytes`: the unit a person would say. */
export function formatBytes(n: number): string {
  if (n >= MB) return `${trimZero((n / MB).toFixed(1))} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return n === 1 ? '1 byte' : `${n} bytes`;
}

const trimZero = (s: string) => s.replace(/\.0$/, '');

const SHOWN_NAME_MAX = 80;

/**
 * A shared file's name made safe to show: one line, no control or private-use characters (the core's
 * platform-term markers live there), clipped. A name is the sharer's text, never trusted.
 */
export function shownName(name: string): string {
  const clean = plain(name);
  const short = clean.length > SHOWN_NAME_MAX ? `${clean.slice(0, SHOWN_NAME_MAX - 1)}…` : clean;
  return short === '' ? 'a file with no name' : short;
}

// eslint-disable-next-line no-control-regex
const HIDDEN_CHARS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ue000-\uf8ff]+/g;

/** Text from outside (a name, a platform's reason) on one line, without control, direction or private-use characters. */
export function plain(text: string): string {
  return text.replace(HIDDEN_CHARS, ' ').replace(/\s+/g, ' ').trim();
}
