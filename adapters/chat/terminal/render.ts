import { escapeControlChars } from '../../../src/shared/control-chars.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { renderLinks } from '../../../src/chat/reply-links.ts';
import { renderMentions } from '../../../src/shared/platform-terms.ts';
import { plainInline, toPlainText } from './plain-text.ts';

/** The echoed question is a reminder of which line this answers, not a copy of it. */
const ECHO_MAX = 200;

/**
 * Plain-text rendering of a reply: numbered so concurrent answers can be matched to their line, its
 * Markdown shown as plain text (no `*`, `_` or link syntax; code kept as written). Everything shown
 * (the echoed question, model output, footers) is made inert, so neither a user's input nor a
 * model's answer can send escape sequences to the terminal. `actions`: the verbs its offers are
 * typed with (`/deeper 3 · /good 3`), on a line of their own.
 */
export function renderTerminalReply(reply: Reply, n: number, actions?: string): string {
  const out: string[] = [];
  const head = reply.question ? `[${n}] > ${clip(reply.question.replace(/\s+/g, ' '))}` : `[${n}]`;
  const body = toPlainText(reply.text);
  out.push(reply.tone === 'error' ? `${head}\n! ${body}` : `${head}\n${body}`);
  for (const s of reply.sections ?? []) out.push(`\n${plainInline(s.title)}\n${toPlainText(s.text)}`);
  if (reply.footer) out.push(`— ${plainInline(reply.footer)}`);
  if (actions) out.push(`» ${actions}`);
  const linked = renderLinks(out.join('\n'), reply.links, (l) => `${l.label} <${l.url}>`);
  // The terminal knows no names: a person or channel is shown by id.
  const named = renderMentions(linked, (m) => (m.kind === 'user' ? `@${m.id}` : `#${m.id}`));
  return `${escapeControlChars(named)}\n`;
}

function clip(text: string): string {
  if (text.length <= ECHO_MAX) return text;
  const end = /[\uD800-\uDBFF]/.test(text[ECHO_MAX - 1]!) ? ECHO_MAX - 1 : ECHO_MAX;
  return `${text.slice(0, end)}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** A note while line `n` runs (e.g. waiting for a rate limit), numbered like its answer will be. */
export function renderTerminalNote(text: string, n: number): string {
  return `${escapeControlChars(`[${n}] … ${text}`)}\n`;
}
