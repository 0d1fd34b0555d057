import { escapeControlChars } from '../../../src/shared/control-chars.ts';

/**
 * Markdown (as models write it) to Slack mrkdwn. Model output is untrusted: everything is escaped
 * so it can never ping (`<!channel>`, `<@U…>`), link to a channel, or hide a link behind other text.
 */

const FENCE = /^\s*```/;
const MASS_MENTION = /@(channel|here|everyone)\b/gi;
const ZWSP = '\u200B';

/**
 * The escape every untrusted text (a question, a model's answer, a digest's sources) goes through
 * on Slack: the three characters Slack treats as markup, the only safe way to show `<…>` literally,
 * and control and bidirectional characters shown as `\x1b`, `\u202e` as on the terminal, so no text
 * can reorder or hide what a message shows (a reversed link, code that reads other than it runs).
 */
export function escapeMrkdwn(text: string): string {
  return escapeControlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Breaks `@channel`, `@here` and `@everyone` with a zero-width space so they read the same but never notify. */
export function neutraliseMassMentions(text: string): string {
  return text.replace(MASS_MENTION, (_m, word: string) => `@${ZWSP}${word}`);
}

/** Escapes and neutralises plain text (a question, a title, a footer) for a mrkdwn field. */
export function safeText(text: string): string {
  return neutraliseMassMentions(escapeMrkdwn(text));
}

/** Converts a Markdown document to mrkdwn; fenced code blocks are kept, with their content escaped only. */
export function toMrkdwn(markdown: string): string {
  const out: string[] = [];
  let code: string[] | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(line)) {
      if (code) {
        out.push(codeBlock(code));
        code = undefined;
      } else code = [];
      continue;
    }
    if (code) code.push(line);
    else out.push(convertLine(line));
  }
  if (code) out.push(codeBlock(code));
  return out.join('\n');
}

function codeBlock(lines: string[]): string {
  return `\`\`\`\n${escapeMrkdwn(lines.join('\n'))}\n\`\`\``;
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return `*${convertInline(heading[1]!).replace(/\*/g, '')}*`;
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet && !/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return `${bullet[1]}• ${convertInline(bullet[2]!)}`;
  return convertInline(line);
}

/** Inline code spans keep their text (escaped); the rest gets links, emphasis and mention neutralising. */
function convertInline(text: string): string {
  const parts = text.split(/(`[^`\n]+`)/);
  return parts.map((p, i) => (i % 2 === 1 ? escapeMrkdwn(p) : convertProse(p))).join('');
}

const LINK = /!?\[([^\]\n]*)\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+"[^"]*")?\s*\)/g;

function convertProse(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    out += emphasis(safeText(text.slice(last, m.index)));
    out += link(m[1] ?? '', m[2] ?? '');
    last = m.index + m[0].length;
  }
  return out + emphasis(safeText(text.slice(last)));
}

/** Shows the real destination: `text (<url>)`, never `<url|text>`, so a link cannot be disguised. */
function link(label: string, url: string): string {
  const shown = emphasis(safeText(label.trim()));
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return shown ? `${shown} (${safeText(url)})` : safeText(url);
  const target = `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}>`;
  if (!shown || label.trim() === url) return target;
  return `${shown} (${target})`;
}

/** `**b**`/`__b__` → `*b*`, `*i*`/`_i_` → `_i_`, `~~s~~` → `~s~`. */
function emphasis(text: string): string {
  const BOLD = '\uE000';
  return text
    .replace(/\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*/g, `${BOLD}$1${BOLD}`)
    .replace(/__(?=\S)([^_\n]+?)(?<=\S)__/g, `${BOLD}$1${BOLD}`)
    .replace(/(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '_$1_')
    .replace(/~~(?=\S)([^~\n]+?)(?<=\S)~~/g, '~$1~')
    .replace(/\uE000/g, '*');
}
