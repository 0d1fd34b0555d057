import type { FakeUsage } from './types.ts';
import type { AnswerSpec, ErrorSpec, LimitState, StreamPlan, VendorWire, WireReply } from './wire.ts';
import { openaiFileScan } from './wire-file-blocks.ts';
import { arr, bearer, contentText, dataFrame, goDuration, obj, randomId } from './wire-util.ts';

interface OpenAIErrorShape {
  type: string;
  code: string | null;
  message: (e: ErrorSpec) => string;
}

const SHAPES: Record<string, OpenAIErrorShape> = {
  invalid_api_key: { type: 'invalid_request_error', code: 'invalid_api_key', message: () => 'Incorrect API key provided.' },
  insufficient_quota: {
    type: 'insufficient_quota',
    code: 'insufficient_quota',
    message: () =>
      'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
  },
  rate_limit_exceeded: {
    type: 'requests',
    code: 'rate_limit_exceeded',
    message: (e) =>
      `Rate limit reached for ${e.model} in organization org-fake on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
  },
  model_not_found: {
    type: 'invalid_request_error',
    code: 'model_not_found',
    message: (e) => `The model \`${e.model}\` does not exist or you do not have access to it.`,
  },
  billing_hard_limit_reached: {
    type: 'invalid_request_error',
    code: 'billing_hard_limit_reached',
    message: () => 'Billing hard limit has been reached',
  },
  server_error: { type: 'server_error', code: null, message: () => 'The server had an error while processing your request. Sorry about that!' },
  invalid_request_error: { type: 'invalid_request_error', code: null, message: () => "Invalid value for 'messages'." },
};

const SHAPE_BY_STATUS: Record<number, string> = { 400: 'invalid_request_error', 401: 'invalid_api_key', 404: 'model_not_found', 429: 'rate_limit_exceeded' };

function errorReply(e: ErrorSpec): WireReply {
  const shape = SHAPES[e.errorType ?? SHAPE_BY_STATUS[e.status] ?? 'server_error'];
  const type = shape?.type ?? e.errorType ?? 'server_error';
  const error = { message: e.errorMessage ?? shape?.message(e) ?? 'error', type, param: null, code: shape?.code ?? null };
  const headers = e.retryAfterMs === undefined ? undefined : { 'retry-after': String(Math.ceil(e.retryAfterMs / 1000)) };
  return { status: e.status, ...(headers ? { headers } : {}), body: { error } };
}

/** Chat Completions usage: prompt_tokens already includes cached and cache-written; completion_tokens includes reasoning. */
export function openaiUsage(u: FakeUsage): Record<string, unknown> {
  return {
    prompt_tokens: u.input,
    completion_tokens: u.output,
    total_tokens: u.input + u.output,
    prompt_tokens_details: { cached_tokens: u.cacheRead, cache_write_tokens: u.cacheWrite, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: u.reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`;
}

function streamPlan(a: AnswerSpec): StreamPlan {
  const created = Math.floor(Date.now() / 1000);
  const chunk = (choices: unknown[], usage: unknown = null) =>
    dataFrame({
      id: a.id,
      object: 'chat.completion.chunk',
      created,
      model: a.responseModel,
      service_tier: a.usage.serviceTier ?? 'default',
      system_fingerprint: 'fp_fake',
      choices,
      usage,
    });
  const choice = (delta: object, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });
  return {
    head: [chunk([choice({ role: 'assistant', content: '', refusal: null })])],
    chunks: a.chunks.map((content) => chunk([choice({ content })])),
    tail: [chunk([choice({}, a.finishReason)]), chunk([], openaiUsage(a.usage)), dataFrame('[DONE]')],
    malformed: 'data: {"id":"chatcmpl-x","object":"chat.completion.chu\n\n',
    error: (e) => dataFrame(errorReply({ status: e.status, model: '', errorType: e.errorType, errorMessage: e.errorMessage }).body),
  };
}

function limitHeaders(s: LimitState): Record<string, string> {
  const out: Record<string, string> = {
    'x-ratelimit-limit-requests': String(s.requests.limit),
    'x-ratelimit-remaining-requests': String(s.requests.remaining),
    'x-ratelimit-reset-requests': goDuration(s.requests.resetMs),
  };
  const windows = [s.inputTokens, s.outputTokens].filter((w) => w !== undefined);
  if (windows.length > 0) {
    out['x-ratelimit-limit-tokens'] = String(windows.reduce((n, w) => n + w.limit, 0));
    out['x-ratelimit-remaining-tokens'] = String(windows.reduce((n, w) => n + w.remaining, 0));
    out['x-ratelimit-reset-tokens'] = goDuration(Math.max(...windows.map((w) => w.resetMs)));
  }
  return out;
}

/** OpenAI's 400 for a parameter or value a model does not support. */
function unsupported(param: string, code: 'unsupported_parameter' | 'unsupported_value', message: string): WireReply {
  return { status: 400, body: { error: { message, type: 'invalid_request_error', param, code } } };
}

/** What GPT-6 answers with 400: effort none on GPT-6.2 (and minimal anywhere), temperature with an effort other than none. */
function refuseGpt6(model: string, body: unknown): WireReply | undefined {
  if (!/^gpt-6/.test(model)) return undefined;
  const b = obj(body);
  const effort = typeof b['reasoning_effort'] === 'string' ? b['reasoning_effort'] : 'medium';
  if (effort === 'minimal' || (effort === 'none' && /^gpt-6\.2-/.test(model))) {
    return unsupported('reasoning_effort', 'unsupported_value', `Unsupported value: 'reasoning_effort' does not support '${effort}' with this model.`);
  }
  if (b['temperature'] !== undefined && effort !== 'none') {
    return unsupported('temperature', 'unsupported_parameter', `Unsupported parameter: 'temperature' is only supported when 'reasoning_effort' is 'none'.`);
  }
  return undefined;
}

/** OpenAI Chat Completions wire format: `POST /v1/chat/completions`, `GET /v1/models`, `data:` SSE ending `[DONE]`. */
export const openaiWire: VendorWire = {
  basePath: '/v1',
  route(method, url) {
    if (method === 'POST' && url.pathname === '/v1/chat/completions') return { kind: 'generate', model: '', stream: false };
    if (method === 'GET' && url.pathname === '/v1/models') return { kind: 'models' };
    return undefined;
  },
  apiKey: (headers) => bearer(headers) ?? '',
  bodyModel: (body) => String(obj(body)['model'] ?? ''),
  bodyStream: (body) => obj(body)['stream'] === true,
  promptText: (body) =>
    arr(obj(body)['messages'])
      .map((m) => contentText(obj(m)['content']))
      .join('\n'),
  lastUserText: (body) =>
    contentText(
      obj(
        arr(obj(body)['messages'])
          .filter((m) => obj(m)['role'] === 'user')
          .at(-1),
      )['content'],
    ),
  newId: () => randomId('chatcmpl-'),
  baseHeaders: () => ({ 'x-request-id': randomId('req_', 16), 'openai-processing-ms': '12', 'openai-version': '2020-10-01' }),
  json: (a) => ({
    id: a.id,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: a.responseModel,
    choices: [{ index: 0, message: { role: 'assistant', content: a.text, refusal: null, annotations: [] }, logprobs: null, finish_reason: a.finishReason }],
    usage: openaiUsage(a.usage),
    service_tier: a.usage.serviceTier ?? 'default',
    system_fingerprint: 'fp_fake',
  }),
  stream: streamPlan,
  error: errorReply,
  badKey: (apiKey) =>
    errorReply({
      status: 401,
      model: '',
      errorType: 'invalid_api_key',
      errorMessage: `Incorrect API key provided: ${maskKey(apiKey)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    }),
  rateLimited: (retryAfterMs, model) => errorReply({ status: 429, model, errorType: 'rate_limit_exceeded', retryAfterMs }),
  limitHeaders,
  models: (ids) => ({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })) }),
  defaultFinish: 'stop',
  defaultModels: ['gpt-6-luna', 'gpt-5'],
  refuseRequest: refuseGpt6,
  files: openaiFileScan,
};
