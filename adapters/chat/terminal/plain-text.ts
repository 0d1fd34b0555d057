/**
 * Markdown (as Hive and models write replies) as plain text for the terminal: emphasis marks,
 * heading hashes and link syntax are dropped, links show their destination as `label <url>`, and
 * Slack-style markup (`<url|label>`, `<@U123>`, `<!here>`) reads as what it stands for. Code (fenced
 * blocks and inline spans) is kept exactly, since its characters matter.
 */

const FENCE = /^\s*```/;
const LINK = /!?\[([^\]\n]*)\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+"[^"]*")?\s*\)/g;
const ANGLE = /<([@#!])([^<>\s|]+)(?:\|([^<>\n]*))?>|<((?:https?|mailto):[^<>\s|]+)(?:\|([^<>\n]*))?>/g;

/** Converts a Markdown document to plain text; fenced code blocks are kept verbatim. */
export function toPlainText(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (FENCE.test(line)) inCode = !inCode;
    out.push(inCode || FENCE.test(line) ? line : convertLine(line));
  }
  return out.join('\n');
}

/** Plain text of a one-line title or label: emphasis and link syntax dropped. */
export function plainInline(text: string): string {
  return convertInline(text);
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) return convertInline(heading[1]!);
  const bullet = /^(\s*)[*+]\s+(.*)$/.exec(line);
  if (bullet && !/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) return `${bullet[1]}• ${convertInline(bullet[2]!)}`;
  return convertInline(line);
}

/** Inline code spans keep their text and backticks; the rest loses its markup. */
function convertInline(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((p, i) => (i % 2 === 1 ? p : convertProse(p)))
    .join('');
}

/** Links first; then emphasis, outside the addresses (an underscore in a URL is part of it). */
function convertProse(text: string): string {
  const linked = text.replace(ANGLE, angle).replace(LINK, (_m, label: string, url: string) => link(label, url));
  return linked
    .split(/((?:https?|mailto):[^\s<>]+)/)
    .map((p, i) => (i % 2 === 1 ? p : emphasis(p)))
    .join('');
}

/** `label <url>`, or the bare url when the label is empty or repeats it. */
function link(label: string, url: string): string {
  const l = label.trim();
  return l === '' || l === url ? url : `${l} <${url}>`;
}

/** Slack's `<@U1|ana>` → `@ana`, `<#C1|general>` → `#general`, `<!here>` → `@here`, `<url|label>` → `label <url>`. */
function angle(m: string, sigil?: string, id?: string, label?: string, url?: string, urlLabel?: string): string {
  if (url) return link(urlLabel ?? '', url);
  if (!sigil || !id) return m;
  if (sigil === '!') return label || `@${id}`;
  return `${sigil}${label?.replace(/^[@#]/, '') || id}`;
}

/** `**b**`, `__b__`, `*i*`, `_i_` → their text; `snake_case` and `2*3*4` are left alone. */
function emphasis(text: string): string {
  return text
    .replace(/\*\*(?=\S)([^*\n]+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<!\w)__(?=\S)([^_\n]+?)(?<=\S)__(?!\w)/g, '$1')
    .replace(/(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])/g, '$1')
    .replace(/(?<![_\w])_(?=\S)([^_\n]+?)(?<=\S)_(?![_\w])/g, '$1');
}
