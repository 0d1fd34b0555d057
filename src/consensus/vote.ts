import type { ModelRef } from '../shared/types.ts';
import { extractAnswer, type ExtractedAnswer } from '../models/answer-extract.ts';
import type { Candidate, Verdict } from './types.ts';

interface Group {
  answer: ExtractedAnswer;
  models: ModelRef[];
}

/** Members needed for a majority of `n`: more than half. */
export function quorumOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * Votes when every candidate gave a short extractable answer, with no extra model call;
 * returns `undefined` when any answer is prose, so the caller synthesises instead.
 */
export function voteVerdict(candidates: readonly Candidate[]): Verdict | undefined {
  if (candidates.length < 2) return undefined;
  const groups = groupAnswers(candidates);
  if (!groups) return undefined;
  const top = groups[0]!;
  const n = candidates.length;
  const majority = top.models.length >= quorumOf(n);
  const agreement = top.models.length === n ? 'all' : majority ? 'majority' : 'split';
  const sides = groups.map((g) => ({ models: g.models, position: g.answer.display }));
  return {
    method: 'vote',
    answer: majority ? top.answer.display : 'No majority: the models give different answers.',
    agreement,
    pointsOfAgreement: [],
    disagreements: groups.length > 1 ? [{ topic: 'the answer', sides }] : [],
  };
}

/** Candidates grouped by normalised answer, largest group first; `undefined` if any is not extractable. */
function groupAnswers(candidates: readonly Candidate[]): Group[] | undefined {
  const byKey = new Map<string, Group>();
  for (const c of candidates) {
    const answer = extractAnswer(c.text);
    if (!answer) return undefined;
    const g = byKey.get(answer.key);
    if (g) g.models.push(c.ref);
    else byKey.set(answer.key, { answer, models: [c.ref] });
  }
  return [...byKey.values()].sort((a, b) => b.models.length - a.models.length);
}
