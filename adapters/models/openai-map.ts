import { APIError } from 'openai';
import type { FinishReason, ModelRequest, Usage } from '../../src/types.ts';
import { isRecord, num } from './json.ts';
import { mapFinish, type MappedFinish } from './finish.ts';
import type { WireFailure } from './wire-failure.ts';

/** Reasoning-era models reject `max_tokens`; older ones (gpt-4o family) only know it. */
export function usesMaxCompletionTokens(model: string): boolean {
  return /^(gpt-5|o1|o3|o4)/.test(model);
}

/** Translates a neutral request into Chat Completions parameters (without `stream`). */
export function toOpenAIParams(req: ModelRequest) {
  const system = req.system ? [{ role: 'system' as const, content: req.system }] : [];
  return {
    model: req.model,
    messages: [...system, ...req.messages.map((m) => ({ role: m.role, content: m.content }))],
    ...(usesMaxCompletionTokens(req.model) ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }),
    ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
  };
}

/**
 * Normalises Chat Completions usage: `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning, so both are taken as they are.
 */
export function normaliseOpenAIUsage(raw: unknown): Usage {
  const prompt = isRecord(raw) ? raw['prompt_tokens_details'] : undefined;
  const completion = isRecord(raw) ? raw['completion_tokens_details'] : undefined;
  return {
    inputTokens: num(raw, 'prompt_tokens'),
    cacheReadTokens: num(prompt, 'cached_tokens'),
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: num(raw, 'completion_tokens'),
    reasoningTokens: num(completion, 'reasoning_tokens'),
  };
}

const FINISH: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content_filter',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

/** Maps `finish_reason` to the unified finish reason, keeping the raw value. */
export function mapOpenAIFinish(raw: string | null | undefined): MappedFinish {
  return mapFinish(FINISH, raw);
}

/** Lifts status, type, code and message out of the SDK's APIError (HTTP errors and in-stream `error` data). */
export function describeOpenAIError(err: unknown): WireFailure | undefined {
  if (!(err instanceof APIError)) return undefined;
  if (err.status === undefined && err.error === undefined) return undefined; // abort, timeout, connection
  const message = isRecord(err.error) && typeof err.error['message'] === 'string' ? err.error['message'] : err.message;
  return {
    status: err.status,
    type: err.type ?? undefined,
    code: err.code ?? undefined,
    message,
    headers: err.headers,
    requestId: err.requestID ?? undefined,
  };
}
