import { rerunCommand } from './answer-rerun.ts';

/** `/cheaper <answer>` (and the Re-run cheaper button): the same question on the cheap lane. */
export const cheaperCommand = rerunCommand({ name: 'cheaper', kind: 'cheaper', summary: 'Ask an answered question again on the cheap lane.' });
