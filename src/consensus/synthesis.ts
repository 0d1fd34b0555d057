import type { CallRecord } from '../evidence/evidence-store.ts';
import { ExecutionFailed, type ExecuteInput, type Execution } from '../routing/executor.ts';
import type { SpendGate } from '../money/spend-gate.ts';
import type { UsableKey } from '../keys/key-service.ts';
import type { ModelRef } from '../shared/types.ts';
import type { ChatMessage, Vendor } from '../shared/provider-spec.ts';
import { timedOutWords } from '../routing/failure-words.ts';
import { describeFailure } from './member-run.ts';
import { createSpendTally } from './spend-tally.ts';
import { buildSynthesisPrompt, repairPrompt, SYNTHESIS_SYSTEM } from './synthesis-prompt.ts';
import { parseSynthesis } from './synthesis-schema.ts';
import type { Candidate, SynthesisTrail, Verdict } from './types.ts';

/** What a synthesis call needs besides the candidates. */
export interface SynthesisEnv {
  execute: (x: ExecuteInput) => Promise<Execution>;
  workspaceId: string;
  keys: ReadonlyMap<Vendor, UsableKey>;
  gate: SpendGate;
  /** Earlier turns the members saw, so the judge reads the question in its context. */
  history: ChatMessage[];
  maxTokens: number;
  timeoutMs: number;
}

/**
 * One judge call that returns the verdict as JSON, validated against a schema, with one repair
 * attempt; `verdict` is absent when it still fails, and the trail says why.
 */
export async function synthesize(
  ref: ModelRef,
  question: string,
  candidates: readonly Candidate[],
  env: SynthesisEnv,
): Promise<{ verdict?: Verdict; trail: SynthesisTrail }> {
  const tally = createSpendTally(env.gate);
  const signal = AbortSignal.timeout(env.timeoutMs);
  const t0 = performance.now();
  const calls: CallRecord[] = [];
  const outputs: string[] = [];
  const members = candidates.map((c) => c.ref);
  const trail = (ok: boolean, failure?: string): SynthesisTrail => ({
    ref,
    ok,
    calls,
    costUsd: tally.costUsd(),
    latencyMs: performance.now() - t0,
    outputs,
    ...(failure ? { failure } : {}),
  });
  let messages: ChatMessage[] = [
    ...env.history,
    {
      role: 'user',
      content: buildSynthesisPrompt(
        question,
        candidates.map((c) => c.text),
      ),
    },
  ];
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const reply = await judgeOnce(ref, messages, env, tally.gate, signal, calls);
    if (!reply.ok) return { trail: trail(false, reply.failure) };
    outputs.push(reply.text);
    const parsed = parseSynthesis(reply.text, members);
    if (parsed.ok) return { verdict: parsed.verdict, trail: trail(true) };
    problem = parsed.problem;
    messages = [...messages, { role: 'assistant', content: reply.text || '(empty)' }, { role: 'user', content: repairPrompt(problem) }];
  }
  return { trail: trail(false, `unusable reply after a repair attempt (${problem.split('\n')[0]!.replace(/[.:]$/, '')})`) };
}

async function judgeOnce(
  ref: ModelRef,
  messages: ChatMessage[],
  env: SynthesisEnv,
  gate: SpendGate,
  signal: AbortSignal,
  calls: CallRecord[],
): Promise<{ ok: true; text: string } | { ok: false; failure: string }> {
  try {
    const request = { model: '', system: SYNTHESIS_SYSTEM, messages, maxTokens: env.maxTokens };
    const exec = await env.execute({ workspaceId: env.workspaceId, candidates: [ref], pinned: true, request, keys: env.keys, gate, signal });
    calls.push(...exec.calls);
    return { ok: true, text: exec.result.text };
  } catch (e) {
    if (e instanceof ExecutionFailed) calls.push(...e.calls);
    return { ok: false, failure: signal.aborted ? timedOutWords(env.timeoutMs) : describeFailure(e) };
  }
}
