import { HIDDEN } from './mask.ts';
import type { SecretSpan } from './secret-matcher.ts';

/**
 * Sorts spans and joins those that overlap or touch; a joined group shows nothing (`••••`) unless it
 * is one span, so a whole key's last four never sits beside a piece that would complete it. Spans
 * are kept off the edges of backslash escapes, so masking serialized JSON leaves it parseable.
 */
export function mergeSpans(text: string, spans: readonly SecretSpan[]): SecretSpan[] {
  const sorted = spans.map((s) => clearOfEscapes(text, s)).filter((s) => s.end > s.start);
  sorted.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretSpan[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (!last || s.start > last.end) out.push({ ...s });
    else if (s.end > last.end || s.mask !== last.mask || s.start !== last.start) {
      last.end = Math.max(last.end, s.end);
      last.mask = HIDDEN;
    }
  }
  return out;
}

/** The text with each (merged, ordered) span replaced by its mask. */
export function applySpans(text: string, spans: readonly SecretSpan[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.mask;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Moves a span's edges so it neither starts on or just after a backslash nor ends on one. */
function clearOfEscapes(text: string, s: SecretSpan): SecretSpan {
  let { start, end } = s;
  while (start < end && (text[start] === '\\' || text[start - 1] === '\\')) start++;
  while (end > start && text[end - 1] === '\\') end--;
  return start === s.start && end === s.end ? s : { ...s, start, end };
}
