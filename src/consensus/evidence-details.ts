import { formatModelRef } from '../shared/types.ts';
import type { ConsensusEstimate } from './estimate.ts';
import type { MemberOutcome, SynthesisTrail, Verdict } from './types.ts';

/** The structured part of a consensus's evidence: verdict, agreement, members and synthesis. */
export function consensusDetails(
  verdict: Verdict | undefined,
  outcomes: readonly MemberOutcome[],
  synthesis: SynthesisTrail | undefined,
  estimate: ConsensusEstimate,
): Record<string, unknown> {
  return {
    kind: 'consensus',
    ...(verdict
      ? {
          verdict: {
            method: verdict.method,
            agreement: verdict.agreement ?? null,
            answer: verdict.answer,
            pointsOfAgreement: verdict.pointsOfAgreement,
            disagreements: verdict.disagreements.map((d) => ({
              topic: d.topic,
              sides: d.sides.map((s) => ({ models: s.models.map(formatModelRef), position: s.position })),
            })),
            ...(verdict.note ? { note: verdict.note } : {}),
          },
        }
      : {}),
    members: outcomes.map((o) => ({
      model: formatModelRef(o.ref),
      status: o.status,
      ...(o.reason ? { reason: o.reason } : {}),
      latencyMs: Math.round(o.latencyMs),
      costUsd: o.costUsd ?? null,
    })),
    ...(synthesis
      ? {
          synthesis: {
            model: formatModelRef(synthesis.ref),
            ok: synthesis.ok,
            attempts: synthesis.outputs.length,
            outputs: synthesis.outputs,
            costUsd: synthesis.costUsd ?? null,
            ...(synthesis.failure ? { failure: synthesis.failure } : {}),
          },
        }
      : {}),
    estimateUsd: { total: estimate.knownUsd, complete: estimate.complete },
  };
}

/** Every answer in full, labelled by model, for the evidence content. */
export function consensusCandidates(outcomes: readonly MemberOutcome[]): { model: string; text: string }[] {
  return outcomes.filter((o) => o.status === 'ok').map((o) => ({ model: formatModelRef(o.ref), text: o.text ?? '' }));
}
