import { APIError } from '@anthropic-ai/sdk';
import type Anthropic from '@anthropic-ai/sdk';
import type { ChatMessage, FinishReason, ModelFile, ModelRequest, Usage } from '../../src/shared/provider-spec.ts';
import { shapeRequest } from '../../src/models/model-rules.ts';
import type { PriceCatalogue } from '../../src/models/price-catalogue.ts';
import { isRecord, num } from './json.ts';
import { mapFinish, type MappedFinish } from './finish.ts';
import type { WireFailure } from './wire-failure.ts';
import { base64Of, turnFiles } from './file-parts.ts';

type Effort = NonNullable<NonNullable<Anthropic.MessageCreateParams['output_config']>['effort']>;
type ImageMediaType = Anthropic.Base64ImageSource['media_type'];

/** A file as Anthropic's native block: an `image`, or a PDF `document` titled with the file's name. */
function anthropicBlock(f: ModelFile): Anthropic.ImageBlockParam | Anthropic.DocumentBlockParam {
  const data = base64Of(f.data);
  if (f.kind === 'pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data }, title: f.name };
  // The core sends only the image types it read from the bytes; Anthropic's own 400 names any other.
  return { type: 'image', source: { type: 'base64', media_type: f.mediaType as ImageMediaType, data } };
}

/** A turn's content: its text alone, or its files first (Claude reads best with images before the question), then the text. */
function anthropicContent(m: ChatMessage): string | Anthropic.ContentBlockParam[] {
  const files = turnFiles(m);
  if (files.length === 0) return m.content;
  return [...files.map(anthropicBlock), ...(m.content === '' ? [] : [{ type: 'text' as const, text: m.content }])];
}

/**
 * Translates a neutral request into Messages API parameters (without `stream`), sending only what
 * the model accepts (Claude 5.x: no sampling parameters, no prefill; effort as `output_config`).
 */
export function toAnthropicParams(catalogue: PriceCatalogue, req: ModelRequest) {
  const s = shapeRequest(catalogue, 'anthropic', req);
  return {
    model: s.model,
    max_tokens: s.maxTokens,
    messages: s.messages.map((m) => ({ role: m.role, content: anthropicContent(m) })),
    ...(s.system ? { system: s.system } : {}),
    ...(s.temperature === undefined ? {} : { temperature: s.temperature }),
    // The rules list only the effort values the API documents.
    ...(s.effort === undefined ? {} : { output_config: { effort: s.effort as Effort } }),
  };
}

/**
 * Normalises Anthropic usage: `input_tokens` excludes cache reads and writes, so they are
 * added back; thinking is already inside `output_tokens`.
 */
export function normaliseAnthropicUsage(raw: unknown): Usage {
  const cacheRead = num(raw, 'cache_read_input_tokens');
  const cacheWrite = num(raw, 'cache_creation_input_tokens');
  const split = isRecord(raw) ? raw['cache_creation'] : undefined;
  const details = isRecord(raw) ? raw['output_tokens_details'] : undefined;
  return {
    inputTokens: num(raw, 'input_tokens') + cacheRead + cacheWrite,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    cacheWrite1hTokens: num(split, 'ephemeral_1h_input_tokens'),
    outputTokens: num(raw, 'output_tokens'),
    reasoningTokens: num(details, 'thinking_tokens'),
    ...(isRecord(raw) && typeof raw['inference_geo'] === 'string' && raw['inference_geo'] !== '' ? { inferenceGeo: raw['inference_geo'] } : {}),
    ...(isRecord(raw) && typeof raw['service_tier'] === 'string' && raw['service_tier'] !== '' ? { serviceTier: raw['service_tier'] } : {}),
  };
}

/** Folds a later usage report (e.g. message_delta's cumulative counts) over an earlier one. */
export function mergeAnthropicUsage(base: unknown, update: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = isRecord(base) ? { ...base } : {};
  if (isRecord(update)) for (const [k, v] of Object.entries(update)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

const FINISH: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** Maps `stop_reason` to the unified finish reason, keeping the raw value. */
export function mapAnthropicFinish(raw: string | null | undefined): MappedFinish {
  return mapFinish(FINISH, raw);
}

/** Lifts status, type, error_code and message out of the SDK's APIError (HTTP errors and SSE `error` events). */
export function describeAnthropicError(err: unknown): WireFailure | undefined {
  if (!(err instanceof APIError)) return undefined;
  if (err.status === undefined && err.type === null) return undefined; // abort, timeout, connection
  return {
    status: err.status,
    type: err.type ?? undefined,
    code: err.errorCode ?? undefined,
    message: err.apiMessage ?? err.message,
    headers: err.headers,
    requestId: err.requestID ?? undefined,
  };
}
