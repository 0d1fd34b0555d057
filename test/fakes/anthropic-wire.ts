import type { FakeUsage } from './types.ts';
import type { AnswerSpec, ErrorSpec, LimitState, StreamPlan, VendorWire, WireReply } from './wire.ts';
import { anthropicFileScan } from './wire-file-blocks.ts';
import { arr, bearer, contentText, eventFrame, header, obj, randomId, rfc3339After } from './wire-util.ts';

const ERROR_TYPES = new Set([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'timeout_error',
  'api_error',
  'overloaded_error',
]);

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const MESSAGES: Record<string, string> = {
  invalid_request_error: 'messages: roles must alternate between "user" and "assistant"',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  rate_limit_error:
    'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.',
  api_error: 'Internal server error',
  overloaded_error: 'Overloaded',
  enforced_spend_limit_reached: 'You have reached your specified API usage limits. You will regain access on 2031-01-01 at 00:00 UTC.',
};

/** Anthropic's usage block: `input_tokens` excludes cache reads and writes; at message_start output is a stub 1. */
export function anthropicUsage(u: FakeUsage, atStart = false): Record<string, unknown> {
  return {
    input_tokens: u.input - u.cacheRead - u.cacheWrite,
    cache_creation_input_tokens: u.cacheWrite,
    cache_read_input_tokens: u.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: u.cacheWrite - u.cacheWrite1h, ephemeral_1h_input_tokens: u.cacheWrite1h },
    output_tokens: atStart ? 1 : u.output,
    ...(u.reasoning > 0 && !atStart ? { output_tokens_details: { thinking_tokens: u.reasoning } } : {}),
    service_tier: u.serviceTier ?? 'standard',
    ...(u.inferenceGeo ? { inference_geo: u.inferenceGeo } : {}),
  };
}

function errorBody(type: string, message: string, code?: string): Record<string, unknown> {
  const error = { type, message, ...(code ? { details: { error_code: code } } : {}) };
  return { type: 'error', error, request_id: randomId('req_011C') };
}

function errorReply(e: ErrorSpec): WireReply {
  const given = e.errorType;
  const type = given && ERROR_TYPES.has(given) ? given : (TYPE_BY_STATUS[e.status] ?? 'api_error');
  const code = given && !ERROR_TYPES.has(given) ? given : undefined;
  const message = e.errorMessage ?? MESSAGES[code ?? type] ?? `model: ${e.model}`;
  const headers = e.retryAfterMs === undefined ? undefined : { 'retry-after': String(Math.ceil(e.retryAfterMs / 1000)) };
  return { status: e.status, ...(headers ? { headers } : {}), body: errorBody(type, message, code) };
}

function message(a: AnswerSpec, content: unknown[], stop: string | null, usage: unknown): Record<string, unknown> {
  const base = { id: a.id, type: 'message', role: 'assistant', model: a.responseModel, content };
  return { ...base, stop_reason: stop, stop_sequence: null, usage };
}

function streamPlan(a: AnswerSpec): StreamPlan {
  const block = (type: string, extra: object) => eventFrame(type, { type, index: 0, ...extra });
  return {
    head: [
      eventFrame('message_start', { type: 'message_start', message: message(a, [], null, anthropicUsage(a.usage, true)) }),
      block('content_block_start', { content_block: { type: 'text', text: '' } }),
      eventFrame('ping', { type: 'ping' }),
    ],
    chunks: a.chunks.map((text) => block('content_block_delta', { delta: { type: 'text_delta', text } })),
    tail: [
      block('content_block_stop', {}),
      eventFrame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: a.finishReason, stop_sequence: null },
        usage: {
          output_tokens: a.usage.output,
          ...(a.usage.reasoning > 0 ? { output_tokens_details: { thinking_tokens: a.usage.reasoning } } : {}),
        },
      }),
      eventFrame('message_stop', { type: 'message_stop' }),
    ],
    malformed: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_del\n\n',
    error: (e) => eventFrame('error', errorBody(e.errorType ?? TYPE_BY_STATUS[e.status] ?? 'api_error', e.errorMessage ?? 'Overloaded')),
  };
}

function limitHeaders(s: LimitState, now: number): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, w: { limit: number; remaining: number; resetMs: number } | undefined) => {
    if (!w) return;
    out[`anthropic-ratelimit-${name}-limit`] = String(w.limit);
    out[`anthropic-ratelimit-${name}-remaining`] = String(w.remaining);
    out[`anthropic-ratelimit-${name}-reset`] = rfc3339After(now, w.resetMs);
  };
  put('requests', s.requests);
  put('input-tokens', s.inputTokens);
  put('output-tokens', s.outputTokens);
  // `tokens-*` is the most restrictive of the token limits, as Anthropic reports it.
  const tight = [s.inputTokens, s.outputTokens].filter((w) => w !== undefined).sort((a, b) => a.remaining / a.limit - b.remaining / b.limit)[0];
  put('tokens', tight);
  return out;
}

/** Claude 5.x (Haiku, Sonnet, Opus, Fable, Mythos 5 and later): the models with the 5.x request rules. */
const CLAUDE_5 = /^claude-(haiku|sonnet|opus|fable|mythos)-5/;

/** What Claude 5.x answers with 400: a non-default sampling parameter, manual extended thinking, or an assistant prefill. */
function refuseClaude5(model: string, body: unknown): WireReply | undefined {
  if (!CLAUDE_5.test(model)) return undefined;
  const b = obj(body);
  const defaults: Record<string, number> = { temperature: 1, top_p: 1 };
  for (const name of ['temperature', 'top_p', 'top_k']) {
    if (b[name] !== undefined && b[name] !== defaults[name]) {
      return errorReply({
        status: 400,
        model,
        errorType: 'invalid_request_error',
        errorMessage: `${name}: sampling parameters are not supported on ${model}; omit ${name}`,
      });
    }
  }
  if (obj(b['thinking'])['type'] === 'enabled') {
    return errorReply({
      status: 400,
      model,
      errorType: 'invalid_request_error',
      errorMessage: `thinking.type: "enabled" is not supported on ${model}; use adaptive thinking with output_config.effort`,
    });
  }
  if (obj(arr(b['messages']).at(-1))['role'] === 'assistant') {
    return errorReply({
      status: 400,
      model,
      errorType: 'invalid_request_error',
      errorMessage: `This model does not support assistant message prefill. The conversation must end with a user message.`,
    });
  }
  return undefined;
}

/** Anthropic Messages API wire format: `POST /v1/messages`, `GET /v1/models`, `event:`-framed SSE. */
export const anthropicWire: VendorWire = {
  basePath: '',
  route(method, url) {
    if (method === 'POST' && url.pathname === '/v1/messages') return { kind: 'generate', model: '', stream: false };
    if (method === 'GET' && url.pathname === '/v1/models') return { kind: 'models' };
    return undefined;
  },
  apiKey: (headers) => header(headers, 'x-api-key') ?? bearer(headers) ?? '',
  bodyModel: (body) => String(obj(body)['model'] ?? ''),
  bodyStream: (body) => obj(body)['stream'] === true,
  promptText: (body) => [contentText(obj(body)['system']), ...arr(obj(body)['messages']).map((m) => contentText(obj(m)['content']))].join('\n'),
  lastUserText: (body) => {
    const users = arr(obj(body)['messages']).filter((m) => obj(m)['role'] === 'user');
    return contentText(obj(users.at(-1))['content']);
  },
  newId: () => randomId('msg_01'),
  baseHeaders: () => ({ 'request-id': randomId('req_011C') }),
  json: (a) => message(a, [{ type: 'text', text: a.text }], a.finishReason, anthropicUsage(a.usage)),
  stream: streamPlan,
  error: errorReply,
  badKey: () => errorReply({ status: 401, model: '', errorType: 'authentication_error' }),
  rateLimited: (retryAfterMs, model) => errorReply({ status: 429, model, errorType: 'rate_limit_error', retryAfterMs }),
  limitHeaders,
  models: (ids) => ({
    data: ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
    has_more: false,
    first_id: ids[0] ?? null,
    last_id: ids.at(-1) ?? null,
  }),
  defaultFinish: 'end_turn',
  defaultModels: ['claude-sonnet-4-6', 'claude-haiku-4-5'],
  refuseRequest: refuseClaude5,
  files: anthropicFileScan,
};
