import type { FakeUsage } from './types.ts';
import type { AnswerSpec, ErrorSpec, StreamPlan, VendorWire, WireReply } from './wire.ts';
import { googleFileScan } from './wire-file-blocks.ts';
import { arr, dataFrame, header, obj, protoDuration, randomId } from './wire-util.ts';

const STATUS_NAME: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const MESSAGES: Record<string, (e: ErrorSpec) => string> = {
  INVALID_ARGUMENT: () => 'Invalid JSON payload received. Unknown name "foo": Cannot find field.',
  PERMISSION_DENIED: () => 'The caller does not have permission',
  NOT_FOUND: (e) => `models/${e.model} is not found for API version v1beta, or is not supported for generateContent.`,
  RESOURCE_EXHAUSTED: () => 'Resource has been exhausted (e.g. check quota).',
  INTERNAL: () => 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
  UNAVAILABLE: () => 'The model is overloaded. Please try again later.',
  DEADLINE_EXCEEDED: () => 'Deadline expired before operation could complete.',
};

const RPC = 'type.googleapis.com/google.rpc.';

function quotaDetails(e: ErrorSpec): { message: string; details: unknown[] } {
  const q = e.quota ?? { period: 'minute', limit: 15 };
  const per = q.period === 'day' ? 'PerDay' : 'PerMinute';
  const metric = 'generativelanguage.googleapis.com/generate_content_free_tier_requests';
  const retry = e.retryAfterMs === undefined ? '' : `\nPlease retry in ${protoDuration(e.retryAfterMs)}.`;
  const message =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.' +
    `\n* Quota exceeded for metric: ${metric}, limit: ${q.limit}, model: ${e.model}${retry}`;
  const violation = {
    quotaMetric: metric,
    quotaId: `GenerateRequests${per}PerProjectPerModel-FreeTier`,
    quotaDimensions: { location: 'global', model: e.model },
    quotaValue: String(q.limit),
  };
  return {
    message,
    details: [
      { '@type': `${RPC}Help`, links: [{ description: 'Learn more about Gemini API quotas', url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }] },
      { '@type': `${RPC}QuotaFailure`, violations: [violation] },
    ],
  };
}

function errorReply(e: ErrorSpec): WireReply {
  const status = e.errorType ?? STATUS_NAME[e.status] ?? 'UNKNOWN';
  const quota = e.quota ? quotaDetails(e) : undefined;
  const details: unknown[] = quota?.details ?? [];
  if (e.retryAfterMs !== undefined) details.push({ '@type': `${RPC}RetryInfo`, retryDelay: protoDuration(e.retryAfterMs) });
  const message = e.errorMessage ?? quota?.message ?? MESSAGES[status]?.(e) ?? 'Unknown error';
  return { status: e.status, body: { error: { code: e.status, message, status, ...(details.length ? { details } : {}) } } };
}

const BAD_KEY = 'API key not valid. Please pass a valid API key.';

/** Gemini usageMetadata: promptTokenCount includes cached; thoughts are counted apart from candidates. */
export function googleUsage(u: FakeUsage, final = true): Record<string, unknown> {
  return {
    promptTokenCount: u.input,
    ...(final ? { candidatesTokenCount: u.output - u.reasoning } : {}),
    totalTokenCount: final ? u.input + u.output : u.input,
    ...(u.cacheRead ? { cachedContentTokenCount: u.cacheRead } : {}),
    ...(final && u.reasoning ? { thoughtsTokenCount: u.reasoning } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.input }],
  };
}

function response(a: AnswerSpec, text: string, finish: string | undefined, final: boolean): Record<string, unknown> {
  const candidate = { content: { parts: [{ text }], role: 'model' }, ...(finish ? { finishReason: finish } : {}), index: 0 };
  return { candidates: [candidate], usageMetadata: googleUsage(a.usage, final), modelVersion: a.responseModel, responseId: a.id };
}

function streamPlan(a: AnswerSpec): StreamPlan {
  const frame = (data: unknown) => dataFrame(data, '\r\n');
  return {
    head: [],
    chunks: a.chunks.map((text) => frame(response(a, text, undefined, false))),
    tail: [frame(response(a, '', a.finishReason, true))],
    malformed: 'data: {"candidates": [{"content": {"parts": [{"text": "Hel\r\n\r\n',
    error: (e) => frame(errorReply({ status: e.status, model: '', errorType: e.errorType, errorMessage: e.errorMessage }).body),
  };
}

/** What Gemini 3.x answers with 400: a thinking level it does not have (MINIMAL is gone), or a level and a budget together. */
function refuseGemini3(model: string, body: unknown): WireReply | undefined {
  if (!/^gemini-3/.test(model)) return undefined;
  const thinking = obj(obj(obj(body)['generationConfig'])['thinkingConfig']);
  const level = thinking['thinkingLevel'];
  if (level !== undefined && !['LOW', 'MEDIUM', 'HIGH'].includes(String(level))) {
    return errorReply({
      status: 400,
      model,
      errorMessage: `Thinking level ${String(level)} is not supported for this model. Supported levels: LOW, MEDIUM, HIGH.`,
    });
  }
  if (level !== undefined && thinking['thinkingBudget'] !== undefined) {
    return errorReply({ status: 400, model, errorMessage: 'thinking_budget and thinking_level cannot both be set.' });
  }
  return undefined;
}

const GENERATE = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

/** Gemini API (v1beta) wire format: `models/{m}:generateContent`, `:streamGenerateContent?alt=sse`, `GET models`. */
export const googleWire: VendorWire = {
  basePath: '',
  route(method, url) {
    const m = GENERATE.exec(decodeURIComponent(url.pathname));
    if (method === 'POST' && m) return { kind: 'generate', model: m[1] ?? '', stream: m[2] === 'streamGenerateContent' };
    if (method === 'GET' && url.pathname === '/v1beta/models') return { kind: 'models' };
    return undefined;
  },
  apiKey: (headers, url) => header(headers, 'x-goog-api-key') ?? url.searchParams.get('key') ?? '',
  bodyModel: () => undefined,
  bodyStream: () => false,
  promptText: (body) =>
    [obj(body)['systemInstruction'], ...arr(obj(body)['contents'])]
      // A file part is counted by its bytes (see wire-files.ts), not as an empty line of text.
      .flatMap((c) => arr(obj(c)['parts']).filter((p) => obj(p)['inlineData'] === undefined && obj(p)['inline_data'] === undefined))
      .map((p) => String(obj(p)['text'] ?? ''))
      .join('\n'),
  lastUserText: (body) => {
    const user = arr(obj(body)['contents'])
      .filter((c) => obj(c)['role'] === 'user')
      .at(-1);
    return arr(obj(user)['parts'])
      .map((p) => String(obj(p)['text'] ?? ''))
      .join('');
  },
  newId: () => randomId('', 16),
  baseHeaders: () => ({ 'server-timing': 'gfet4t7; dur=120' }),
  json: (a) => response(a, a.text, a.finishReason, true),
  stream: streamPlan,
  error: errorReply,
  badKey: () => ({
    status: 400,
    body: {
      error: {
        code: 400,
        message: BAD_KEY,
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': `${RPC}ErrorInfo`, reason: 'API_KEY_INVALID', domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } },
          { '@type': `${RPC}LocalizedMessage`, locale: 'en-US', message: BAD_KEY },
        ],
      },
    },
  }),
  // Google's RetryInfo carries whole seconds ("2s"); only the message says "Please retry in 1.53s".
  rateLimited: (retryAfterMs, model, limit) => {
    const reply = errorReply({ status: 429, model, retryAfterMs, quota: { period: 'minute', limit } });
    const details = arr(obj(obj(reply.body)['error'])['details']);
    for (const d of details) if (obj(d)['@type'] === `${RPC}RetryInfo`) obj(d)['retryDelay'] = `${Math.max(1, Math.ceil(retryAfterMs / 1000))}s`;
    return reply;
  },
  limitHeaders: () => ({}),
  refuseRequest: refuseGemini3,
  files: googleFileScan,
  models: (ids) => ({
    models: ids.map((id) => ({
      name: `models/${id}`,
      version: '001',
      displayName: id,
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    })),
  }),
  defaultFinish: 'STOP',
  defaultModels: ['gemini-2.5-flash', 'gemini-2.5-pro'],
};
