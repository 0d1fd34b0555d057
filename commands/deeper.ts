import { rerunCommand } from './answer-rerun.ts';

/** `/deeper <answer>` (and the Re-run deeper button): the same question on the deep lane. */
export const deeperCommand = rerunCommand({ name: 'deeper', kind: 'deeper', summary: 'Ask an answered question again on the deep lane.' });
