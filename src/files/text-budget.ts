/**
 * Fitting several files' text into one budget of characters: each file gets an equal share, a file
 * smaller than its share gives the rest to the others, and a file cut to its share keeps its start
 * and its end (a log's end is usually where the error is), with a line saying what was left out.
 */

/** A text as fitted: what goes to the model, and how many characters were left out. */
export interface Fitted {
  text: string;
  omitted: number;
}

/** Shares of `budget` for texts of these lengths: equal, with what a short text leaves spread over the rest. */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const shares = lengths.map(() => 0);
  let left = Math.max(0, budget);
  let open = lengths.map((_, i) => i);
  while (open.length > 0 && left > 0) {
    const each = Math.floor(left / open.length);
    const fits = open.filter((i) => lengths[i]! <= each);
    if (fits.length === 0) {
      for (const i of open) shares[i] = each;
      break;
    }
    for (const i of fits) {
      shares[i] = lengths[i]!;
      left -= lengths[i]!;
    }
    open = open.filter((i) => !fits.includes(i));
  }
  return shares;
}

/** Keeps `keep` characters of `text`: a `tailShare` of them from its end, the rest from its start, cut at line breaks where one is near. */
export function keepEnds(text: string, keep: number, tailShare: number): Fitted {
  if (text.length <= keep) return { text, omitted: 0 };
  const room = keep - MARKER_ROOM;
  if (room <= 0) return { text: '', omitted: text.length };
  const tailChars = Math.floor(room * tailShare);
  const head = atLineEnd(text, room - tailChars);
  const tail = atLineStart(text, text.length - tailChars);
  const omitted = tail - head;
  const marker = `\n[… ${omitted.toLocaleString('en-US')} characters left out here to fit …]\n`;
  return { text: `${text.slice(0, head)}${marker}${text.slice(tail)}`, omitted };
}

/** Characters the left-out marker takes, kept out of the budget. */
const MARKER_ROOM = 64;

/** How far a cut may move to land on a line break. */
const LINE_SLACK = 200;

function atLineEnd(text: string, at: number): number {
  const nl = text.lastIndexOf('\n', at);
  return safeCut(text, nl >= 0 && at - nl <= LINE_SLACK ? nl + 1 : at);
}

function atLineStart(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return safeCut(text, nl >= 0 && nl - at <= LINE_SLACK ? nl + 1 : at);
}

/** Never between the halves of a surrogate pair. */
function safeCut(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return at > 0 && at < text.length && c >= 0xdc00 && c <= 0xdfff ? at + 1 : at;
}
