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
