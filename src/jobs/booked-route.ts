import type { Booking } from '../money/budget.ts';
import { ruleFor } from '../routing/route-rule.ts';
import type { JobOrigin, JobRoute } from './job-record.ts';

/**
 * Where a job's calls are booked: who asked, where, its evidence id and time, and the lane and
 * routing rule its ledger rows carry so spend splits by both: the plan's lane and the rule its reason
 * names (`auto: code`, `--deep`, `learned: strong`; see `ruleOf`), or `consensus` / `digest` for those jobs' member,
 * judge and part calls.
 */
export function jobBooking(origin: JobOrigin, plan: JobRoute, evidenceId: string, at: Date): Booking {
  return { ...origin, evidenceId, at, lane: plan.lane, route: ruleFor(origin.command, plan.reason) };
}
