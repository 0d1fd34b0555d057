import type { LaneName } from '../shared/types.ts';

/** One automatic routing rule: cheap features of the text, checked in order, first match wins. */
export interface AutoRule {
  lane: LaneName;
  reason: string;
  test: (text: string) => boolean;
}

const words = (...w: string[]) => new RegExp(`\\b(?:${w.join('|')})`, 'i');

const DEEP = words(
  'prove',
  'proof',
  'debug',
  'root[- ]cause',
  'race condition',
  'deadlock',
  'architect',
  'design (?:a|an|the)\\b',
  'trade-?offs?',
  'threat model',
  'formal',
  'step[- ]by[- ]step reasoning',
  'why does .* (?:fail|crash|hang|leak)',
);
const CHEAP = words(
  'summari[sz]e',
  'tl;?dr',
  'classify',
  'categori[sz]e',
  'translate',
  'extract',
  'rephrase',
  'reword',
  'proofread',
  'fix (?:the )?(?:grammar|typos?|spelling)',
  'format (?:this|as)',
  'convert (?:this|to)',
  'list (?:the|all)',
  'tag ',
  'sentiment',
);
const CODE =
  /```|^\s{4}\S|\b(?:function|def|class|import|const|let|SELECT|#include)\b.*[({;=]|=>|\bstack trace\b|Traceback \(most recent call last\)|Exception in thread/im;

/** The rules, in order; a table-driven test pins them. */
export const AUTO_RULES: readonly AutoRule[] = [
  { lane: 'deep', reason: 'hard reasoning', test: (t) => DEEP.test(t) },
  { lane: 'cheap', reason: 'simple task', test: (t) => CHEAP.test(t) },
  { lane: 'balanced', reason: 'code', test: (t) => CODE.test(t) },
  { lane: 'balanced', reason: 'long request', test: (t) => t.length > 2000 },
  { lane: 'cheap', reason: 'short question', test: (t) => t.length <= 160 },
  { lane: 'balanced', reason: 'general', test: () => true },
];

/** Picks a lane from the text alone; the reason is shown in the footer as `auto: <reason>`. */
export function autoLane(text: string): { lane: LaneName; reason: string } {
  const rule = AUTO_RULES.find((r) => r.test(text))!;
  return { lane: rule.lane, reason: `auto: ${rule.reason}` };
}
