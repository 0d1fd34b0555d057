/** A short answer reduced to a comparable key, with the text to show for it. */
export interface ExtractedAnswer {
  kind: 'number' | 'yes_no' | 'choice' | 'word';
  /** Normalised form: equal keys mean the same answer (`number:42`, `yes_no:yes`). */
  key: string;
  display: string;
}

/** Answers longer than this are prose: they go to synthesis, never to a vote. */
const MAX_SHORT_CHARS = 160;

const NUMBER = /^[-+−]?\$?(?:\d{1,3}(?:[, ]\d{3})+|\d+)(?:\.\d+)?%?$/;
const YES_NO: Record<string, string> = { yes: 'yes', no: 'no', true: 'yes', false: 'no', correct: 'yes', incorrect: 'no' };
const CHOICE = /^(?:option\s+|choice\s+)?\(?([a-h])\)?$/i;
const WORDS = /^\p{L}[\p{L}\p{N}'’-]*(?: [\p{L}\p{N}'’-]+){0,2}$/u;

/**
 * Extracts a short answer (a number, yes/no, a choice letter, a word or two) so members can be
 * voted on with no extra call. Deliberately conservative: anything unclear returns `undefined`
 * and goes to synthesis, because a wrong extraction would produce a wrong vote.
 */
export function extractAnswer(text: string): ExtractedAnswer | undefined {
  const plain = stripMarkdown(text);
  if (plain === '' || plain.length > MAX_SHORT_CHARS) return undefined;
  for (const [piece, words] of pieces(text, plain)) {
    const atom = parseAtom(piece, words);
    if (atom) return atom;
  }
  return undefined;
}

/** Places an answer can sit, most explicit first; `true` allows a word answer from that place. */
function pieces(raw: string, plain: string): [string, boolean][] {
  const out: [string, boolean][] = [];
  const bold = [...raw.matchAll(/\*\*([^*\n]+)\*\*/g)].map((m) => m[1]!);
  if (bold.length === 1) out.push([bold[0]!, true]);
  out.push([plain, true]);
  const lead = /^(yes|no)\s*(?:[,.!;:—–-]|$)/i.exec(plain);
  if (lead) out.push([lead[1]!, false]);
  const marked = /\b(?:final answer|the answer|answer)\s*(?:is|:)\s*([^\n;]+?)\s*[.!]?$/i.exec(plain);
  if (marked) out.push([marked[1]!, true]);
  const tail = /(?:=|\bis\b|\bequals\b|\bmakes\b)\s*([^\s;=]+?)\s*[.!]?$/i.exec(plain);
  if (tail) out.push([tail[1]!, false]);
  return out;
}

function parseAtom(piece: string, allowWords: boolean): ExtractedAnswer | undefined {
  const s = piece
    .trim()
    .replace(/^["'`“‘]+|["'`”’]+$/g, '')
    .replace(/[.!]+$/, '')
    .trim();
  if (s === '') return undefined;
  if (NUMBER.test(s)) return { kind: 'number', key: `number:${normaliseNumber(s)}`, display: s };
  const yn = YES_NO[s.toLowerCase()];
  if (yn) return { kind: 'yes_no', key: `yes_no:${yn}`, display: yn === 'yes' ? 'Yes' : 'No' };
  const choice = CHOICE.exec(s);
  if (choice) return { kind: 'choice', key: `choice:${choice[1]!.toUpperCase()}`, display: choice[1]!.toUpperCase() };
  if (allowWords && WORDS.test(s) && s.length <= 40) return { kind: 'word', key: `word:${s.toLowerCase().replace(/’/g, "'")}`, display: s };
  return undefined;
}

/** `1,000` `1 000` `$1000.0` all read as `1000`; a percent sign stays part of the value. */
function normaliseNumber(s: string): string {
  const percent = s.endsWith('%');
  const digits = s.replace(/[$,% ]/g, '').replace('−', '-');
  const n = Number(digits);
  return `${Number.isFinite(n) ? String(n) : digits}${percent ? '%' : ''}`;
}

/** Drops Markdown emphasis, code ticks and quote marks so `**42**.` reads as `42.`. */
function stripMarkdown(text: string): string {
  return text
    .replace(/```[a-z]*\n?|```/gi, '')
    .replace(/[*_`]+/g, '')
    .replace(/^>\s?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
}
