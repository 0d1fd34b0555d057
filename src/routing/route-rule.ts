/**
 * The rule a lane reason names, without its particulars: `learned: strong (0.62 ≥ 0.48)` →
 * `learned: strong`, `auto: code, budget` → `auto: code`, `cheap first: escalated, gpt-6-luna unsure`
 * → `cheap first: escalated`. Spend and feedback are counted per rule, so a report has one row per
 * rule, not one per job.
 */
export function ruleOf(reason: string): string {
  return (
    reason
      .split(',')[0]!
      .replace(/\s*\(.*$/, '')
      .trim() || 'unknown'
  );
}

/** Commands whose calls are counted under the command itself: their members, judge and parts share one job's lane. */
const OWN_RULE = new Set(['consensus', 'digest']);

/** The rule a job's spend and the feedback on its answer are both counted under, so the two join in one report row. */
export function ruleFor(command: string | null | undefined, reason: string): string {
  return command && OWN_RULE.has(command) ? command : ruleOf(reason);
}
