import type { CallRecord, EvidenceFile, EvidenceStore, JobOrigin } from '../evidence/evidence-store.ts';
import { HiveError } from '../shared/errors.ts';
import type { Plan } from '../routing/router.ts';
import type { ModelRequest } from '../shared/provider-spec.ts';
import { totalCost, sumUsage } from '../money/usage-math.ts';
import type { JobSpendGate } from '../money/budget.ts';
import { jobFacts, type JobFacts } from './job-facts.ts';
import { renderFooter, type FooterData } from '../money/footer.ts';
import { reasonTerm } from '../shared/platform-terms.ts';

export type { JobOrigin } from '../evidence/evidence-store.ts';

/** The lane a job ran on and why: all its record and footer need of the plan, whatever its kind. */
export type JobRoute = Pick<Plan, 'lane' | 'reason'>;

/** What a job was about to do, for its evidence record. */
export interface JobTrace {
  id: string;
  origin: JobOrigin;
  plan: JobRoute;
  request: ModelRequest;
  at: Date;
  /** The price table the job's calls were priced with (`PriceCatalogue.version`). */
  priceTableVersion: string;
  details?: Record<string, unknown>;
  candidates?: { model: string; text: string }[];
  /** The files the job read: names, types, sizes and hashes, never content. */
  files?: EvidenceFile[];
  /** The footer as shown with an answer. */
  footer?: string;
}

/**
 * Stores the evidence record of a job, for answers and failures alike, before its footer or error
 * is shown. With the job's gate, the record commits in the same transaction as the bookings the
 * gate kept back (the answering call's ledger row and cost); other calls were booked as they ended.
 * Returns the record's facts for the job's log line.
 */
export async function recordJob(
  evidence: EvidenceStore,
  t: JobTrace,
  calls: CallRecord[],
  answer: string | null,
  error: unknown,
  gate?: JobSpendGate,
): Promise<JobFacts> {
  const cost = totalCost(calls);
  const err =
    error === undefined
      ? undefined
      : error instanceof HiveError
        ? { code: error.code, message: error.message }
        : { code: 'internal', message: 'unexpected failure' };
  await evidence.save(
    {
      id: t.id,
      createdAt: t.at.toISOString(),
      ...t.origin,
      lane: t.plan.lane,
      laneReason: t.plan.reason,
      calls,
      status: err ? 'error' : 'ok',
      ...(err ? { error: err } : {}),
      totalCostUsd: cost ?? null,
      priceTableVersion: t.priceTableVersion,
      ...(t.details ? { details: t.details } : {}),
      ...(t.files && t.files.length > 0 ? { files: t.files } : {}),
      ...(t.footer ? { footer: t.footer } : {}),
    },
    { ...(t.request.system ? { system: t.request.system } : {}), messages: t.request.messages, answer, ...(t.candidates ? { candidates: t.candidates } : {}) },
    gate ? { within: (insert) => gate.commit(insert) } : {},
  );
  return jobFacts(t.id, t.plan, calls, err !== undefined);
}

/**
 * What a kind of job says in its footer: the models it names and its notes, and where it counts
 * differently, its lane's wording, cost or estimate. Everything else comes from the job's calls.
 */
export type FooterParts = Pick<FooterData, 'models' | 'notes'> & Partial<Pick<FooterData, 'laneReason' | 'costUsd' | 'estimated' | 'files' | 'evidenceUrl'>>;

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
