import { UserError } from '../shared/errors.ts';
import { servedModelName } from '../money/footer.ts';
import { trimmedContextNote } from '../models/model-rules.ts';
import type { FooterParts } from '../jobs/job-record.ts';
import { createJobPipeline, type JobRun, type JobUnanswered, type JobWork } from '../jobs/job-pipeline.ts';
import { SYSTEM_PROMPT, type JobRunnerOptions } from '../jobs/job-runner.ts';
import type { ModelRef } from '../shared/types.ts';
import { endWords, MEMBER_END_WORDS } from '../routing/failure-words.ts';
import { consensusCandidates, consensusDetails } from './evidence-details.ts';
import { fanOut, type FanOutResult } from './fan-out.ts';
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

/** Consensus on the one job pipeline: N pinned members in parallel and a verdict, where `/ask` makes one routed call. */
export function createConsensusRunner(o: ConsensusRunnerOptions): ConsensusRunner {
  const timing: ConsensusTiming = { ...DEFAULT_TIMING, ...definedTiming(o) };
  const pipeline = createJobPipeline(o);
  return {
    async run(input) {
      const done = await pipeline.run({
        origin: input.origin,
        onRecorded: input.onRecorded,
        prepare: ({ at }) => prepareConsensus(input, { ...o, synthesisModel: o.synthesisModel, system: SYSTEM_PROMPT, now: at }),
        execute: (prep, run) => convene(o, timing, input, prep, run),
        footer: (w, prep) => footerParts(w, prep),
      });
      const { verdict, synthesis, fan, costUsd } = done.work;
      return {
        question: input.question,
        verdict,
        outcomes: fan.outcomes,
        ...(synthesis ? { synthesis } : {}),
        ...(done.prep.plan.alone ? { alone: done.prep.plan.alone } : {}),
        costUsd,
        footer: done.footer,
        evidenceId: done.id,
        fanOutMs: fan.wallMs,
        wallMs: done.latencyMs,
      };
    },
  };
}

/** A consensus that reached a verdict, with what its reply and footer show. */
interface Convened extends JobWork {
  fan: FanOutResult;
  verdict: Verdict;
  synthesis: SynthesisTrail | undefined;
  /** Members plus synthesis, as their calls settled; `undefined` when a price is unknown. */
  costUsd: number | undefined;
}

/** The panel in parallel, then a verdict of the members that answered; with none, nothing to show. */
async function convene(
  o: ConsensusRunnerOptions,
  timing: ConsensusTiming,
  input: ConsensusInput,
  prep: Prepared,
  run: JobRun,
): Promise<Convened | JobUnanswered> {
  const ws = input.origin.workspaceId;
  const member = {
    ...{ execute: o.execute, workspaceId: ws, request: prep.request, requestFor: prep.requestFor },
    ...{ keys: prep.usable, gate: run.gate, timeoutMs: timing.memberTimeoutMs },
  };
  const fan = await fanOut(
    prep.plan.members,
    {
      ...member,
      ...(input.onWait ? { onWait: input.onWait } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onMember ? { onMember: input.onMember } : {}),
    },
    timing,
  );
  const candidates = consensusCandidates(fan.outcomes);
  const answered = fan.outcomes.filter((m) => m.status === 'ok').map((m) => ({ ref: m.ref, text: m.text ?? '' }));
  const memberCalls = fan.outcomes.flatMap((m) => m.calls);
  if (answered.length === 0) {
    const details = consensusDetails(undefined, fan.outcomes, undefined, prep.estimate);
    return { calls: memberCalls, details, candidates, error: noAnswer(fan.outcomes, run.id) };
  }
  const judge = (refs: readonly ModelRef[]) => chooseJudge(prep.judgeModel, prep.lanes.balanced, refs, new Set(prep.usable.keys()));
  const env = {
    execute: o.execute,
    workspaceId: ws,
    keys: prep.usable,
    gate: run.gate,
    history: prep.history,
    maxTokens: o.maxOutputTokens,
    timeoutMs: timing.synthesisTimeoutMs,
  };
  const { verdict, synthesis } = await createConsensusStrategy(judge, env).decide(input.question, answered);
  return {
    calls: [...memberCalls, ...(synthesis?.calls ?? [])],
    answer: verdict.answer,
    details: consensusDetails(verdict, fan.outcomes, synthesis, prep.estimate),
    candidates,
    fan,
    verdict,
    synthesis,
    costUsd: costOf(fan.outcomes, synthesis),
  };
}

/** What each member and the synthesis settled, summed: a cancelled member's calls count though the executor kept no record of them. */
function costOf(outcomes: readonly MemberOutcome[], synthesis: SynthesisTrail | undefined): number | undefined {
  const costs = [...outcomes.map((m) => m.costUsd), ...(synthesis ? [synthesis.costUsd] : [])];
  return costs.some((c) => c === undefined) ? undefined : Math.round((costs as number[]).reduce((a, b) => a + b, 0) * 1e10) / 1e10;
}

/** The panel's models and the consensus's notes; the cost is the members' settled sum, never marked estimated. */
function footerParts(w: Convened, prep: Prepared): FooterParts {
  const { fan, verdict, synthesis } = w;
  const notes = [
    verdict.method === 'vote' ? 'voted, no synthesis call' : '',
    synthesis ? `synthesis ${synthesis.ok ? 'by' : `${MEMBER_END_WORDS.failed} on`} ${synthesis.ref.model}` : '',
    prep.plan.alone ? 'one vendor only' : '',
    verdict.method === 'single' && fan.outcomes.length > 1 ? `only 1 of ${fan.outcomes.length} answered` : '',
    trimmedContextNote(prep.dropped) ?? '',
    prep.fileNote ?? '',
    ...new Set(fan.outcomes.flatMap((m) => prep.read.files.notes(m.ref))),
  ].filter((n) => n !== '');
  const models = fan.outcomes.map((m) => servedModelName(m.ref.model, m.calls.at(-1)));
  return { models, files: prep.read.summary, notes, costUsd: w.costUsd, estimated: undefined };
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
