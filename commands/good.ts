import { voteCommand } from './answer-vote.ts';

/** `/good <answer>` (and the Helpful button). */
export const goodCommand = voteCommand({ name: 'good', kind: 'helpful', summary: 'Mark an answer helpful.' });
