import type { CallRecord } from '../evidence/evidence-store.ts';
import { renderFooter, type FooterData } from '../money/footer.ts';
import { sumUsage, totalCost } from '../money/usage-math.ts';
import { reasonTerm } from '../shared/platform-terms.ts';
import type { JobRoute } from './job-record.ts';

/**
 * What a kind of job says in its footer: the models it names and its notes, and where it counts
 * differently, its lane's wording, cost or estimate. Everything else comes from the job's calls.
 */
export type FooterParts = Pick<FooterData, 'models' | 'notes'> & Partial<Pick<FooterData, 'laneReason' | 'costUsd' | 'estimated'>>;

/** The job's footer from its calls, so every kind of job states tokens, cost, time and evidence the same way. */
export function jobFooter(calls: readonly CallRecord[], route: JobRoute, evidenceId: string, latencyMs: number, parts: FooterParts): string {
  const usage = sumUsage(calls);
  return renderFooter({
    lane: route.lane,
    laneReason: reasonTerm(route.reason),
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd: totalCost(calls),
    estimated: calls.find((c) => c.estimated)?.estimated,
    latencyMs,
    evidenceId,
    ...parts,
  });
}
