import os from 'node:os';
import path from 'node:path';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';

/** Commands that take files at the terminal. */
export const FILE_COMMANDS: ReadonlySet<string> = new Set(['ask', 'consensus']);

/** Flags of those commands that take a value, so the word after one is not read as the question. */
const VALUE_FLAGS: ReadonlySet<string> = new Set(['model', 'models']);

/** A leading flag as typed, `--name` or `--name=value`; a `--` autocorrected to one dash counts too. */
const FLAG = /^(?:--|[\u2014\u2013\u2212])([a-z][a-z0-9-]*)(?:=(\S+))?(?=\s|$)/i;
/** A path word: quoted, or bare with backslash escapes (as a terminal pastes a dragged file's path). */
const WORD = /^(?:"([^"]*)"|'([^']*)'|((?:\\.|[^\s\\])+))/;

/** The reply to a `--file` with no path after it. */
export const FILE_USAGE = 'Give a path after --file, e.g. `/ask --file ./app.log Why does it fail?` (quote a path with spaces).';

/**
 * Takes `--file <path>` out of a line's leading flags (any number, among the others) so the core
 * never sees a path: the text keeps its other flags and the question; each path is resolved against
 * `cwd` (`~` is the home folder) and becomes an attachment named by its base name.
 */
export function takeFileArgs(text: string, cwd: string): { text: string; files: AttachmentRef[] } | { refusal: string } {
  const kept: string[] = [];
  const files: AttachmentRef[] = [];
  let s = text.trimStart();
  for (let m = FLAG.exec(s); m; m = FLAG.exec(s)) {
    const name = m[1]!.toLowerCase();
    s = s.slice(m[0].length).trimStart();
    if (name !== 'file') {
      kept.push(m[0]);
      const value = m[2] === undefined && VALUE_FLAGS.has(name) ? /^\S+/.exec(s)?.[0] : undefined;
      if (value !== undefined && !value.startsWith('--')) {
        kept.push(value);
        s = s.slice(value.length).trimStart();
      }
      continue;
    }
    const word = m[2] === undefined ? WORD.exec(s) : undefined;
    const typed = m[2] ?? (word ? (word[1] ?? word[2] ?? word[3]!.replace(/\\(.)/g, '$1')) : undefined);
    if (typed === undefined || typed === '' || typed.startsWith('--')) return { refusal: FILE_USAGE };
    if (word) s = s.slice(word[0].length).trimStart();
    files.push(fileRef(typed, cwd));
  }
  return { text: [...kept, s].filter((p) => p !== '').join(' '), files };
}

/** A typed path as an attachment: its id the absolute path, its name the base name. */
function fileRef(typed: string, cwd: string): AttachmentRef {
  const expanded = typed === '~' || typed.startsWith('~/') ? path.join(os.homedir(), typed.slice(1)) : typed;
  const id = path.resolve(cwd, expanded);
  return { id, name: path.basename(id) };
}
