/** Text files: whether bytes are text at all, and what kind of text they hold. */

/**
 * The bytes as text when they are valid UTF-8 without NUL bytes (a leading BOM is dropped), else
 * undefined: anything else is a binary file, whatever its name says.
 */
export function decodeText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Lines looked at to name a text's kind; enough to tell, cheap on a 5 MB log. */
const HEAD_LINES = 40;

/** The media type the content shows (JSON, NDJSON, CSV, TSV, Markdown, HTML, XML), else `text/plain` (logs, code, prose). */
export function textMediaType(text: string): string {
  const head = text.trimStart().slice(0, 8192);
  if (/^<\?xml\s/i.test(head)) return 'application/xml';
  if (/^<(!doctype\s+html|html[\s>])/i.test(head)) return 'text/html';
  if (/^[[{]/.test(head) && isJson(text)) return 'application/json';
  const lines = head.split(/\r?\n/, HEAD_LINES).filter((l) => l.trim() !== '');
  if (lines.length >= 2 && lines.every((l) => l.startsWith('{') && isJson(l))) return 'application/x-ndjson';
  if (delimited(lines, '\t')) return 'text/tab-separated-values';
  if (delimited(lines, ',')) return 'text/csv';
  if (lines.some((l) => /^(#{1,6} \S|```|\* \S|- \[[ x]\] )/.test(l))) return 'text/markdown';
  return 'text/plain';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Every line of the head has the same number (one or more) of the separator, the last perhaps cut short. */
function delimited(lines: readonly string[], sep: string): boolean {
  if (lines.length < 2) return false;
  const whole = lines.length > 2 ? lines.slice(0, -1) : lines;
  const counts = whole.map((l) => l.split(sep).length - 1);
  return counts[0]! > 0 && counts.every((c) => c === counts[0]);
}
