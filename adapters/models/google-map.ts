import { ApiError, ThinkingLevel, type Content, type GenerateContentParameters, type GenerateContentResponse, type Part } from '@google/genai';
import type { ChatMessage, FinishReason, ModelRequest, Usage } from '../../src/shared/provider-spec.ts';
import { shapeRequest } from '../../src/models/model-rules.ts';
import type { PriceCatalogue } from '../../src/models/price-catalogue.ts';
import { googleReason } from './google-details.ts';
import { isRecord, num, str } from './json.ts';
import { mapFinish, type MappedFinish } from './finish.ts';
import type { WireFailure } from './wire-failure.ts';
import { base64Of, turnFiles } from './file-parts.ts';

const LEVELS: Record<string, ThinkingLevel> = {
  minimal: ThinkingLevel.MINIMAL,
  low: ThinkingLevel.LOW,
  medium: ThinkingLevel.MEDIUM,
  high: ThinkingLevel.HIGH,
};

/** One turn as Gemini content: its files first as `inlineData` parts, then its text (a turn without files is one text part, as always). */
function googleContent(m: ChatMessage): Content {
  const files: Part[] = turnFiles(m).map((f) => ({ inlineData: { mimeType: f.mediaType, data: base64Of(f.data) } }));
  const text: Part[] = files.length > 0 && m.content === '' ? [] : [{ text: m.content }];
  return { role: m.role === 'assistant' ? 'model' : 'user', parts: [...files, ...text] };
}

/** Translates a neutral request into generateContent parameters, bound to our abort signal; effort is Gemini 3's thinking level. */
export function toGoogleParams(catalogue: PriceCatalogue, req: ModelRequest, signal: AbortSignal): GenerateContentParameters {
  const s = shapeRequest(catalogue, 'google', req);
  const level = s.effort === undefined ? undefined : LEVELS[s.effort];
  return {
    model: s.model,
    contents: s.messages.map(googleContent),
    config: {
      maxOutputTokens: s.maxTokens,
      ...(s.system ? { systemInstruction: s.system } : {}),
      ...(s.temperature === undefined ? {} : { temperature: s.temperature }),
      ...(level === undefined ? {} : { thinkingConfig: { thinkingLevel: level } }),
      abortSignal: signal,
      // Continuation re-sends the request on its own; the router owns every retry.
      automaticContinuation: false,
    },
  };
}

/**
 * Normalises Gemini usage: `promptTokenCount` already includes cached tokens, but
 * `thoughtsTokenCount` is separate from `candidatesTokenCount`, so it is added to output.
 */
export function normaliseGoogleUsage(raw: unknown): Usage {
  const thoughts = num(raw, 'thoughtsTokenCount');
  return {
    inputTokens: num(raw, 'promptTokenCount') + num(raw, 'toolUsePromptTokenCount'),
    cacheReadTokens: num(raw, 'cachedContentTokenCount'),
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: num(raw, 'candidatesTokenCount') + thoughts,
    reasoningTokens: thoughts,
  };
}

const FINISH: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'tool_calls',
  UNEXPECTED_TOOL_CALL: 'tool_calls',
};

/** The answer's visible text and finish, or the prompt block reason when no candidate came back. */
export function readGoogleAnswer(resp: GenerateContentResponse): { text: string; finish: string | undefined } {
  const candidate = resp.candidates?.[0];
  const parts = candidate?.content?.parts ?? [];
  const text = parts.map((p) => (typeof p.text === 'string' && !p.thought ? p.text : '')).join('');
  return { text, finish: candidate?.finishReason ?? resp.promptFeedback?.blockReason };
}

/** Maps `finishReason` (or a prompt `blockReason`) to the unified finish reason, keeping the raw value. */
export function mapGoogleFinish(raw: string | undefined): MappedFinish {
  // A block reason missing from the table still names a block or a safety check: a content filter.
  return mapFinish(FINISH, raw, (r) => (/BLOCK|SAFETY|PROHIBITED/.test(r) ? 'content_filter' : 'other'));
}

function parseJsonTail(message: string): unknown {
  const at = message.indexOf('{');
  if (at < 0) return undefined;
  try {
    return JSON.parse(message.slice(at)) as unknown;
  } catch {
    return undefined;
  }
}

/** genai's ApiError exposes no headers and carries the raw JSON body as its message; this reads it back. */
export function describeGoogleError(err: unknown): WireFailure | undefined {
  if (!(err instanceof ApiError)) return undefined;
  const body = parseJsonTail(err.message);
  const error = isRecord(body) ? body['error'] : undefined;
  const details = isRecord(error) && Array.isArray(error['details']) ? (error['details'] as unknown[]) : undefined;
  return {
    status: err.status,
    type: str(error, 'status'),
    code: googleReason(details),
    message: str(error, 'message') ?? err.message,
    ...(details ? { details } : {}),
  };
}
