import { APIError } from 'openai';
import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { ReasoningEffort } from 'openai/resources/shared';
import type { ChatMessage, FinishReason, ModelFile, ModelRequest, Usage } from '../../src/shared/provider-spec.ts';
import { shapeRequest } from '../../src/models/model-rules.ts';
import type { PriceCatalogue } from '../../src/models/price-catalogue.ts';
import { isRecord, num } from './json.ts';
import { mapFinish, type MappedFinish } from './finish.ts';
import type { WireFailure } from './wire-failure.ts';
import { dataUrlOf, turnFiles } from './file-parts.ts';

/** Reasoning-era models reject `max_tokens`; older ones (gpt-4o family) only know it. */
export function usesMaxCompletionTokens(model: string): boolean {
  return /^(gpt-5|gpt-6|o1|o3|o4)/.test(model);
}

/**
 * A file as a Chat Completions content part: an `image_url` at detail high (the detail Hive's
 * image token rule counts; GPT-5.6's default would keep the full size), or a PDF `file` part.
 */
function openaiPart(f: ModelFile): ChatCompletionContentPart {
  if (f.kind === 'pdf') return { type: 'file', file: { filename: f.name, file_data: dataUrlOf(f) } };
  return { type: 'image_url', image_url: { url: dataUrlOf(f), detail: 'high' } };
}

/** One turn: plain text as always, or, for a user turn with files, the files first and then the text. */
function openaiMessage(m: ChatMessage): ChatCompletionMessageParam {
  const files = turnFiles(m);
  if (m.role === 'assistant' || files.length === 0) return { role: m.role, content: m.content };
  const text: ChatCompletionContentPart[] = m.content === '' ? [] : [{ type: 'text', text: m.content }];
  return { role: 'user', content: [...files.map(openaiPart), ...text] };
}

/**
 * Translates a neutral request into Chat Completions parameters (without `stream`), sending only
 * what the model accepts (GPT-6: temperature only at effort none; GPT-6.2: never effort none).
 */
export function toOpenAIParams(catalogue: PriceCatalogue, req: ModelRequest) {
  const s = shapeRequest(catalogue, 'openai', req);
  const system = s.system ? [{ role: 'system' as const, content: s.system }] : [];
  return {
    model: s.model,
    messages: [...system, ...s.messages.map(openaiMessage)],
    ...(usesMaxCompletionTokens(s.model) ? { max_completion_tokens: s.maxTokens } : { max_tokens: s.maxTokens }),
    ...(s.temperature === undefined ? {} : { temperature: s.temperature }),
    // The rules list only the effort values the API documents.
    ...(s.effort === undefined ? {} : { reasoning_effort: s.effort as ReasoningEffort }),
  };
}

/** A data-residency endpoint's host: `eu.api.openai.com` and its siblings, one per region. */
const REGIONAL_HOST = /^([a-z]{2})\.api\.openai\.com$/;

/**
 * The region of a data-residency endpoint (`https://eu.api.openai.com/v1` → `eu`), or undefined for
 * the global one or any other host. OpenAI bills regional processing by the endpoint a request is
 * sent to and says nothing of it in the response, so the endpoint is the fact to price it from.
 */
export function dataResidencyRegion(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return REGIONAL_HOST.exec(new URL(baseUrl).hostname.toLowerCase())?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Normalises Chat Completions usage: `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning, so both are taken as they are. `region` is the
 * data-residency endpoint the call went to, kept as `inferenceGeo` so regional processing is priced.
 */
export function normaliseOpenAIUsage(raw: unknown, serviceTier?: string | null, region?: string): Usage {
  const prompt = isRecord(raw) ? raw['prompt_tokens_details'] : undefined;
  const completion = isRecord(raw) ? raw['completion_tokens_details'] : undefined;
  return {
    // The processing tier OpenAI served (top level of the response): `flex` bills at batch rates.
    ...(typeof serviceTier === 'string' && serviceTier !== '' ? { serviceTier } : {}),
    ...(region === undefined ? {} : { inferenceGeo: region }),
    inputTokens: num(raw, 'prompt_tokens'),
    cacheReadTokens: num(prompt, 'cached_tokens'),
    // Prompt tokens written to the cache (models with a cache-write fee, e.g. gpt-6.2-sol); part of prompt_tokens.
    cacheWriteTokens: num(prompt, 'cache_write_tokens'),
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
