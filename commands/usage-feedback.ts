import type { ActionCount } from '../src/jobs/answer-book.ts';
import { LANES } from '../src/shared/types.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The words each counted action is shown with, in the order they are listed. */
const KIND_WORDS: readonly [string, string][] = [
  ['helpful', 'helpful'],
  ['unhelpful', 'not helpful'],
  ['deeper', 're-run deeper'],
  ['cheaper', 're-run cheaper'],
  ['consensus', 'asked for a consensus'],
  ['cancel', 'cancelled'],
];

/** The period's first and last UTC days as a half-open range of epoch ms. */
export function periodMs(from: string, to: string): { sinceMs: number; untilMs: number } {
  return { sinceMs: Date.parse(`${from}T00:00:00Z`), untilMs: Date.parse(`${to}T00:00:00Z`) + DAY_MS };
}

/**
 * What people did with the answers of each lane: marked helpful or not, re-ran deeper or cheaper,
 * cancelled. It names no one, so every member sees it: a lane many answers leave for a deeper one is
 * a lane the team's routing sends too much to.
 */
export function feedbackSection(counts: readonly ActionCount[]): string[] {
  if (counts.length === 0) return [];
  const lanes = [...LANES, ...new Set(counts.map((c) => c.lane).filter((l) => !(LANES as readonly string[]).includes(l)))];
  const lines = lanes.flatMap((lane) => {
    const of = (kind: string) => counts.find((c) => c.lane === lane && c.kind === kind)?.n ?? 0;
    const parts = KIND_WORDS.filter(([k]) => of(k) > 0).map(([k, words]) => `${of(k)} ${words}`);
    return parts.length > 0 ? [`• ${lane}: ${parts.join(' · ')}`] : [];
  });
  return lines.length > 0 ? ['*Feedback by lane*', ...lines] : [];
}
