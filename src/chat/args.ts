import { UserError } from '../shared/errors.ts';

export type FlagSpec = Record<string, 'boolean' | 'string'>;

export interface ParsedArgs {
  flags: Record<string, string | true>;
  /** Everything after the leading flags, verbatim. */
  rest: string;
}

/** A dash that phones and autocorrect (macOS, iOS) make of a typed `--`: em dash, en dash, minus sign. */
const AUTOCORRECTED_DASH = /^[\u2014\u2013\u2212]([a-z][a-z0-9-]*)(?=[=\s]|$)/i;

/** `—deep` as `--deep` when `deep` is one of the command's flags; any other dashed word stays text. */
function undoAutocorrect(s: string, spec: FlagSpec): string {
  const m = AUTOCORRECTED_DASH.exec(s);
  return m && Object.hasOwn(spec, m[1]!.toLowerCase()) ? `--${s.slice(1)}` : s;
}

/**
 * Parses leading `--flags` of a chat command; the first non-flag word (or `--`) starts the text.
 * Unknown flags are refused with the command's usage so a typo never becomes part of a prompt.
 * A flag typed as `—deep` (a `--` autocorrected to one dash) reads as `--deep`.
 */
export function parseArgs(text: string, spec: FlagSpec, usage: string): ParsedArgs {
  const flags: Record<string, string | true> = {};
  let s = text.trimStart();
  for (;;) {
    s = undoAutocorrect(s, spec);
    const m = /^--([a-z][a-z0-9-]*)(?:=(\S+))?(?=\s|$)/i.exec(s);
    if (s.startsWith('-- ') || s === '--') {
      s = s.slice(2).trimStart();
      break;
    }
    if (!m) break;
    const name = m[1]!.toLowerCase();
    const kind = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (!kind) throw new UserError(`Unknown option ${shown(`--${name}`)}.\nUsage: ${usage}`, 'usage');
    if (Object.hasOwn(flags, name)) throw new UserError(`--${name} is given twice; give it once.\nUsage: ${usage}`, 'usage');
    s = s.slice(m[0].length).trimStart();
    if (kind === 'boolean') {
      if (m[2] !== undefined) throw new UserError(`--${name} takes no value.\nUsage: ${usage}`, 'usage');
      flags[name] = true;
      continue;
    }
    const value = m[2] ?? /^\S+/.exec(s)?.[0];
    if (value === undefined || value.startsWith('--')) throw new UserError(`--${name} needs a value.\nUsage: ${usage}`, 'usage');
    if (m[2] === undefined) s = s.slice(value.length).trimStart();
    flags[name] = value;
  }
  return { flags, rest: s.trim() };
}

/** Controls, lone surrogates, line separators and bidi overrides; joiners stay, so emoji survive. */
const UNSHOWN = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu;

/** Longest piece of user input echoed back in a refusal; the rest is elided. */
const SHOWN_CHARS = 40;

/**
 * User input as quoted in a refusal: at most a short prefix, with control, format and lone
 * surrogate characters replaced, so an echo never garbles the reply or repeats a huge paste.
 */
export function shown(text: string): string {
  const clean = text.replace(UNSHOWN, '\uFFFD');
  const chars = [...clean];
  return chars.length > SHOWN_CHARS ? `${chars.slice(0, SHOWN_CHARS).join('')}…` : clean;
}
