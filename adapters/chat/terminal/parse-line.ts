import { escapeControlChars } from '../../../src/shared/control-chars.ts';

/** What one input line asks for: a command, a usage hint for a malformed one, or nothing (blank, comment). */
export type ParsedLine = { command: string; text: string } | { usage: string } | undefined;

/** Shown for a line that starts with a slash but names no command; the terminal answers every line. */
export const LINE_USAGE =
  'Type a command right after the slash, for example `/ask What is 6 times 7?` or `/hive help`. A line without a slash is a question for /ask. ' +
  'Share a file: `/ask --file <path> <question>`.';

const COMMAND = /^\/([A-Za-z][\w-]{0,39})(?:\s+([\s\S]*))?$/;
const ECHO_MAX = 40;

/**
 * Parses `/verb text`; a line without a slash is a question for `/ask`. Never throws. A paste of
 * several lines is one question even when it starts with `#` (a Markdown heading, a code comment).
 */
export function parseLine(line: string): ParsedLine {
  const t = line.trim();
  if (t === '' || (t.startsWith('#') && !t.includes('\n'))) return undefined;
  if (!t.startsWith('/')) return { command: 'ask', text: t };
  const m = COMMAND.exec(t);
  if (m) return { command: m[1]!.toLowerCase(), text: m[2] ?? '' };
  const word = t.split(/\s/, 1)[0]!;
  if (word === '/') return { usage: LINE_USAGE };
  const shown = word.length > ECHO_MAX ? `${word.slice(0, ECHO_MAX)}…` : word;
  return { usage: `${escapeControlChars(shown)} is not a command. ${LINE_USAGE}` };
}
