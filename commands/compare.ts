import { rerunCommand } from './answer-rerun.ts';

/** `/compare <answer>` (and the Ask consensus button): the same question to one model of each vendor. */
export const compareCommand = rerunCommand({
  name: 'compare',
  kind: 'consensus',
  summary: 'Ask an answered question of one model per vendor, as a consensus.',
});
