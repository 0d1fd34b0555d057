import { voteCommand } from './answer-vote.ts';

/** `/bad <answer>` (and the Not helpful button). */
export const badCommand = voteCommand({ name: 'bad', kind: 'unhelpful', summary: 'Mark an answer not helpful.' });
