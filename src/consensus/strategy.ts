import type { ModelRef } from '../shared/types.ts';
import { MEMBER_END_WORDS } from '../routing/failure-words.ts';
import { synthesize, type SynthesisEnv } from './synthesis.ts';
import type { Candidate, SynthesisTrail, Verdict } from './types.ts';
import { voteVerdict } from './vote.ts';

/** Combines the members' answers into one verdict, with the synthesis trail when a judge was asked. */
export interface ConsensusStrategy {
  decide(question: string, candidates: readonly Candidate[]): Promise<{ verdict: Verdict; synthesis?: SynthesisTrail }>;
}

/**
 * Vote first (free, exact for short answers), synthesise otherwise, and fall back to the answers
 * side by side when synthesis fails; one answer is shown as itself.
 */
export function createConsensusStrategy(pickJudge: (answered: readonly ModelRef[]) => ModelRef | undefined, env: SynthesisEnv): ConsensusStrategy {
  return {
    async decide(question, candidates) {
      if (candidates.length === 1) return { verdict: { method: 'single', answer: candidates[0]!.text, pointsOfAgreement: [], disagreements: [] } };
      const voted = voteVerdict(candidates);
      if (voted) return { verdict: voted };
      const judge = pickJudge(candidates.map((c) => c.ref));
      if (!judge) return { verdict: sideBySide('no model was available to compare them') };
      const { verdict, trail } = await synthesize(judge, question, candidates, env);
      return {
        verdict: verdict ?? sideBySide(`synthesis by ${judge.model} ${MEMBER_END_WORDS.failed}: ${trail.failure ?? 'unknown reason'}`),
        synthesis: trail,
      };
    },
  };
}

function sideBySide(note: string): Verdict {
  return {
    method: 'side_by_side',
    answer: 'No combined verdict could be formed; the answers are below, side by side.',
    pointsOfAgreement: [],
    disagreements: [],
    note,
  };
}
