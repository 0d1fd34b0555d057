import type { Summary } from './summarise.ts';

/** The footer's account of a digest: its size, its calls, and anything left out and why. */
export function digestNotes(s: Summary, messages: number): string[] {
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const notes = [`${plural(messages, 'message')}`, `${plural(s.mapCalls, 'summary call')}${s.reduceCalls > 0 ? ` + ${plural(s.reduceCalls, 'merge')}` : ''}`];
  if (s.overBudgetChunks > 0) notes.push(`budget reached: ${plural(s.overBudgetChunks, 'part')} of the day left out`);
  if (s.failedChunks > 0) notes.push(`${plural(s.failedChunks, 'part')} of the day failed to summarise`);
  if (s.dropped.uncited > 0) notes.push(`${plural(s.dropped.uncited, 'point')} without a real source dropped`);
  if (s.dropped.overCap > 0) notes.push(`${s.dropped.overCap} more past the length cap`);
  return notes;
}
