import { createSpendGate } from '../money/budget.ts';
import { UserError } from '../shared/errors.ts';
import { renderFooter, servedModelName } from '../money/footer.ts';
import { reasonTerm } from '../shared/platform-terms.ts';
import { newEvidenceId } from '../shared/ids.ts';
import { trimmedContextNote } from '../models/context-window.ts';
import { recordJob, type JobTrace } from '../jobs/job-record.ts';
import { SYSTEM_PROMPT, type JobRunnerOptions } from '../jobs/job-runner.ts';
import type { ModelRef } from '../shared/types.ts';
import { endWords, MEMBER_END_WORDS } from '../routing/failure-words.ts';
import { sumUsage } from '../money/usage-math.ts';
import { consensusCandidates, consensusDetails } from './evidence-details.ts';
import { fanOut } from './fan-out.ts';
import { chooseJudge } from './judge-choice.ts';
import { prepareConsensus, type ConsensusInput, type Prepared } from './prepare.ts';
import { createConsensusStrategy } from './strategy.ts';
import { DEFAULT_TIMING, type ConsensusTiming, type MemberOutcome, type SynthesisTrail, type Verdict } from './types.ts';

export type { ConsensusInput } from './prepare.ts';

/** A finished consensus: the verdict, every member's outcome, the footer and the audit trail id. */
export interface ConsensusResult {
  question: string;
  verdict: Verdict;
  outcomes: MemberOutcome[];
  synthesis?: SynthesisTrail;
  /** Why only one vendor took part, when that happened. */
  alone?: string;
  /** Members plus synthesis; `undefined` when a price is unknown. */
  costUsd: number | undefined;
  footer: string;
  evidenceId: string;
  /** Wall time of the fan-out alone, and of the whole job. */
  fanOutMs: number;
  wallMs: number;
}

/** Runs `/consensus`: the panel in parallel, a verdict, the cost of every call, and evidence. */
export interface ConsensusRunner {
  run(input: ConsensusInput): Promise<ConsensusResult>;
}

/** Tuning a deployment (or a test) may change. */
export type ConsensusTuning = Partial<ConsensusTiming> & { synthesisModel?: ModelRef };

/** The same services `/ask` uses, plus the consensus tuning. */
export interface ConsensusRunnerOptions extends JobRunnerOptions, ConsensusTuning {}

/** Mirrors the `/ask` job runner, with N pinned members in parallel instead of one routed call. */
export function createConsensusRunner(o: ConsensusRunnerOptions): ConsensusRunner {
  const timing: ConsensusTiming = { ...DEFAULT_TIMING, ...definedTiming(o) };
  const now = () => (o.now ? o.now() : new Date());
  return {
    async run(input) {
      const t0 = performance.now();
      const at = now();
      const prep = await prepareConsensus(input, { ...o, synthesisModel: o.synthesisModel, system: SYSTEM_PROMPT, now: at });
      const id = newEvidenceId(at.getTime());
      const gate = createSpendGate(o.books, prep.scopes, { ...input.origin, evidenceId: id, at });
      const ws = input.origin.workspaceId;
      const fan = await fanOut(
        prep.plan.members,
        {
          execute: o.execute,
          workspaceId: ws,
          request: prep.request,
          keys: prep.usable,
          gate,
          timeoutMs: timing.memberTimeoutMs,
          ...(input.onWait ? { onWait: input.onWait } : {}),
        },
        timing,
      );
      const trace: JobTrace = {
        id,
        origin: input.origin,
        plan: { lane: prep.plan.lane, reason: prep.plan.reason, candidates: prep.plan.members, pinned: true },
        request: prep.request,
        at,
        candidates: consensusCandidates(fan.outcomes),
      };
      const answered = fan.outcomes.filter((m) => m.status === 'ok').map((m) => ({ ref: m.ref, text: m.text ?? '' }));
      const memberCalls = fan.outcomes.flatMap((m) => m.calls);
      if (answered.length === 0) {
        const err = noAnswer(fan.outcomes, id);
        input.onRecorded?.(
          await recordJob(o.evidence, { ...trace, details: consensusDetails(undefined, fan.outcomes, undefined, prep.estimate) }, memberCalls, null, err),
        );
        throw err;
      }
      const judge = (refs: readonly ModelRef[]) => chooseJudge(prep.judgeModel, prep.lanes.balanced, refs, new Set(prep.usable.keys()));
      const env = {
        execute: o.execute,
        workspaceId: ws,
        keys: prep.usable,
        gate,
        history: prep.history,
        maxTokens: o.maxOutputTokens,
        timeoutMs: timing.synthesisTimeoutMs,
      };
      const { verdict, synthesis } = await createConsensusStrategy(judge, env).decide(input.question, answered);
      const facts = await recordJob(
        o.evidence,
        { ...trace, details: consensusDetails(verdict, fan.outcomes, synthesis, prep.estimate) },
        [...memberCalls, ...(synthesis?.calls ?? [])],
        verdict.answer,
        undefined,
      );
      input.onRecorded?.(facts);
      return finish(input.question, prep, fan, verdict, synthesis, id, t0);
    },
  };
}

function finish(
  question: string,
  prep: Prepared,
  fan: { outcomes: MemberOutcome[]; wallMs: number },
  verdict: Verdict,
  synthesis: SynthesisTrail | undefined,
  id: string,
  t0: number,
): ConsensusResult {
  const costs = [...fan.outcomes.map((m) => m.costUsd), ...(synthesis ? [synthesis.costUsd] : [])];
  const costUsd = costs.some((c) => c === undefined) ? undefined : Math.round((costs as number[]).reduce((a, b) => a + b, 0) * 1e10) / 1e10;
  const usage = sumUsage([...fan.outcomes.flatMap((m) => m.calls), ...(synthesis?.calls ?? [])]);
  const wallMs = performance.now() - t0;
  const notes = [
    verdict.method === 'vote' ? 'voted, no synthesis call' : '',
    synthesis ? `synthesis ${synthesis.ok ? 'by' : `${MEMBER_END_WORDS.failed} on`} ${synthesis.ref.model}` : '',
    prep.plan.alone ? 'one vendor only' : '',
    verdict.method === 'single' && fan.outcomes.length > 1 ? `only 1 of ${fan.outcomes.length} answered` : '',
    trimmedContextNote(prep.dropped) ?? '',
  ].filter((n) => n !== '');
  const footer = renderFooter({
    models: fan.outcomes.map((m) => servedModelName(m.ref.model, m.calls.at(-1))),
    lane: prep.plan.lane,
    laneReason: reasonTerm(prep.plan.reason),
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    costUsd,
    latencyMs: wallMs,
    evidenceId: id,
    notes,
  });
  return {
    question,
    verdict,
    outcomes: fan.outcomes,
    ...(synthesis ? { synthesis } : {}),
    ...(prep.plan.alone ? { alone: prep.plan.alone } : {}),
    costUsd,
    footer,
    evidenceId: id,
    fanOutMs: fan.wallMs,
    wallMs,
  };
}

function noAnswer(outcomes: readonly MemberOutcome[], id: string): UserError {
  const why = outcomes.map((m) => `${m.ref.model} ${endWords(m.status)} (${m.reason ?? 'unknown'})`).join('; ');
  return new UserError(`No model on the panel could answer: ${why}. Try again shortly. Evidence ${id}.`, 'consensus_failed');
}

function definedTiming(t: Partial<ConsensusTiming>): Partial<ConsensusTiming> {
  return Object.fromEntries(
    Object.entries({ memberTimeoutMs: t.memberTimeoutMs, graceMs: t.graceMs, graceRatio: t.graceRatio, synthesisTimeoutMs: t.synthesisTimeoutMs }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}
