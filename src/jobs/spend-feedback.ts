import { LANES } from '../shared/types.ts';
import type { ActionCount } from './answer-book.ts';
import type { PageSection } from './page-model.ts';

/** The counted actions shown, in column order, with the words of `/hive usage`'s feedback lines. */
const KINDS: readonly [string, string][] = [
  ['helpful', 'Helpful'],
  ['unhelpful', 'Not helpful'],
  ['deeper', 'Re-run deeper'],
  ['cheaper', 'Re-run cheaper'],
  ['consensus', 'Asked for a consensus'],
  ['cancel', 'Cancelled'],
];

/**
 * What people did with each lane's answers over the period, as one table (the lanes in their usual
 * order, then any other the book holds): a lane whose answers are often re-run deeper is a lane the
 * routing sends too much to. It names no one.
 */
export function feedbackSection(counts: readonly ActionCount[]): PageSection {
  const known = LANES as readonly string[];
  const lanes = [...known, ...new Set(counts.map((c) => c.lane).filter((l) => !known.includes(l)))];
  const of = (lane: string, kind: string) => counts.filter((c) => c.lane === lane && c.kind === kind).reduce((n, c) => n + Number(c.n), 0);
  const rows = lanes.filter((lane) => KINDS.some(([k]) => of(lane, k) > 0)).map((lane) => [lane, ...KINDS.map(([k]) => String(of(lane, k)))]);
  return {
    heading: 'Feedback on answers',
    tables: rows.length ? [{ caption: 'Feedback by lane', head: ['Lane', ...KINDS.map(([, words]) => words)], rows }] : [],
    notes: rows.length ? [] : ['No one marked, re-ran or cancelled an answer in this period.'],
  };
}
