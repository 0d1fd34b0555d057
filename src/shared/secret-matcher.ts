import { HIDDEN, mask } from './mask.ts';
import { publicPrefixLength } from './public-prefix.ts';

/** The fewest consecutive characters of a secret that count as a piece of it: shorter runs occur in ordinary text by chance. */
export const MIN_RUN = 8;
/** Indexed piece length; with `STEP`, every run of `MIN_RUN` characters holds one indexed piece. */
const GRAM = 6;
const STEP = MIN_RUN - GRAM + 1;
/** 31^(GRAM-1) in 32-bit arithmetic, to drop a gram's first character from its rolling hash. */
const DROP = Array.from({ length: GRAM - 1 }).reduce<number>((p) => Math.imul(p, 31), 1);

/** Where a secret, or a piece of one, sits in a text, and what replaces it there. */
export interface SecretSpan {
  start: number;
  end: number;
  /** The whole secret shows its last four characters (`••••3e5e`); a piece shows nothing (`••••`). */
  mask: string;
}

/** Whose secrets a search sees: every one (the operator's logs), or the operator's plus one workspace's own. */
export type SecretScope = 'all' | { workspaceId: string };

interface Entry {
  secret: string;
  /** Where the secret's own characters begin, after a public prefix. */
  from: number;
  operator: boolean;
  workspaces: Set<string>;
}

/** Finds known secrets in text, whole or in pieces, without testing every substring against every secret. */
export interface SecretMatcher {
  /** Adds a secret of the operator (no workspace) or of one workspace; a secret may belong to several. */
  add(secret: string, workspaceId: string | undefined): void;
  /** Spans of text that are a secret of the scope, or a run of `MIN_RUN`+ of its own characters; unordered. */
  find(text: string, scope: SecretScope): SecretSpan[];
  readonly size: number;
}

/**
 * Creates a matcher that indexes 6-character pieces of each secret at every 3rd offset, so any run
 * of 8 characters shared with a secret hits the index at least once; a hit is then extended both
 * ways to the whole shared run. The cost per text is one hash lookup per character.
 */
export function createSecretMatcher(): SecretMatcher {
  const entries: Entry[] = [];
  const bySecret = new Map<string, Entry>();
  /** Rolling hash of a piece → flat pairs of (entry index, offset in the secret). */
  const index = new Map<number, number[]>();
  const indexEntry = (e: Entry, n: number) => {
    const first = Math.min(e.from, Math.max(0, e.secret.length - MIN_RUN));
    for (let at = first; at + GRAM <= e.secret.length; at += STEP) {
      const h = hashAt(e.secret, at);
      const postings = index.get(h);
      if (postings) postings.push(n, at);
      else index.set(h, [n, at]);
    }
  };
  return {
    add(secret, workspaceId) {
      let e = bySecret.get(secret);
      if (!e) {
        e = { secret, from: publicPrefixLength(secret), operator: false, workspaces: new Set() };
        bySecret.set(secret, e);
        entries.push(e);
        indexEntry(e, entries.length - 1);
      }
      if (workspaceId === undefined) e.operator = true;
      else e.workspaces.add(workspaceId);
    },
    find(text, scope) {
      if (entries.length === 0 || text.length < GRAM) return [];
      return scan(text, index, entries, scope);
    },
    get size() {
      return entries.length;
    },
  };
}

function hashAt(s: string, at: number): number {
  let h = 0;
  for (let k = 0; k < GRAM; k++) h = (Math.imul(h, 31) + s.charCodeAt(at + k)) | 0;
  return h;
}

function visible(e: Entry, scope: SecretScope): boolean {
  return scope === 'all' || e.operator || e.workspaces.has(scope.workspaceId);
}

function scan(text: string, index: ReadonlyMap<number, number[]>, entries: readonly Entry[], scope: SecretScope): SecretSpan[] {
  const spans: SecretSpan[] = [];
  /** `entry:diagonal` → where the run found on that diagonal ends, so its later hits are skipped. */
  const runs = new Map<string, number>();
  let h = hashAt(text, 0);
  for (let i = 0; ; i++) {
    const postings = index.get(h);
    if (postings) {
      for (let p = 0; p < postings.length; p += 2) {
        const e = entries[postings[p]!]!;
        const at = postings[p + 1]!;
        const diagonal = `${postings[p]}:${i - at}`;
        if (!visible(e, scope) || (runs.get(diagonal) ?? -1) > i) continue;
        const span = extend(text, i, e, at);
        if (!span) continue;
        runs.set(diagonal, span.end);
        if (span.mask !== '') spans.push(span);
      }
    }
    if (i + GRAM >= text.length) return spans;
    h = (Math.imul(h - Math.imul(text.charCodeAt(i), DROP), 31) + text.charCodeAt(i + GRAM)) | 0;
  }
}

/**
 * The whole run the text shares with the secret around a hit, or undefined for a hash collision.
 * The span's mask is empty when the run is too short to count (mostly a public prefix).
 */
function extend(text: string, i: number, e: Entry, at: number): SecretSpan | undefined {
  const s = e.secret;
  for (let k = 0; k < GRAM; k++) if (text.charCodeAt(i + k) !== s.charCodeAt(at + k)) return undefined;
  let start = i;
  let from = at;
  while (start > 0 && from > 0 && text.charCodeAt(start - 1) === s.charCodeAt(from - 1)) {
    start--;
    from--;
  }
  let end = i + GRAM;
  let to = at + GRAM;
  while (end < text.length && to < s.length && text.charCodeAt(end) === s.charCodeAt(to)) {
    end++;
    to++;
  }
  const whole = from === 0 && to === s.length;
  const counts = whole || to - Math.max(from, e.from) >= MIN_RUN;
  return { start, end, mask: !counts ? '' : whole ? mask(s) : HIDDEN };
}

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
