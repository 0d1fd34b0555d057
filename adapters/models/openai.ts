import OpenAI from 'openai';
import type { CallOptions, ModelProvider, ModelRequest, ModelResult } from '../../src/types.ts';
import { createTextCollector, elapsedMs, guardCall, type CallState, type GuardSpec } from './call.ts';
import { describeOpenAIError, mapOpenAIFinish, normaliseOpenAIUsage, toOpenAIParams } from './openai-map.ts';
import { readOpenAIStream } from './openai-stream.ts';
import { parseOpenAIRateLimits } from './rate-limit-headers.ts';
import { compact } from './json.ts';

/** Options for the OpenAI provider; the key is not one of them, it comes per call. */
export interface OpenAIProviderOptions {
  /** OPENAI_BASE_URL including `/v1`; undefined means api.openai.com/v1. */
  baseUrl?: string | undefined;
}

const LIST_TIMEOUT_MS = 15_000;

function client(apiKey: string, baseUrl: string | undefined, timeoutMs: number): OpenAI {
  // A client per call keeps the key out of long-lived state; retries belong to the router.
  // The operator's OPENAI_ORG_ID/PROJECT_ID/ADMIN_KEY must never ride along with a user's key.
  return new OpenAI({
    apiKey,
    baseURL: baseUrl ?? null,
    organization: null,
    project: null,
    adminAPIKey: null,
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off',
  });
}

function common(req: ModelRequest, response: Response, startedAt: number) {
  return compact({
    vendor: 'openai' as const,
    model: req.model,
    requestId: response.headers.get('x-request-id') ?? undefined,
    latencyMs: elapsedMs(startedAt),
    rateLimit: parseOpenAIRateLimits(response.headers),
  });
}

async function generateJson(ai: OpenAI, req: ModelRequest, signal: AbortSignal): Promise<ModelResult> {
  const startedAt = performance.now();
  const { data, response } = await ai.chat.completions.create(toOpenAIParams(req), { signal }).withResponse();
  const choice = data.choices[0];
  return {
    ...common(req, response, startedAt),
    responseModel: data.model,
    text: choice?.message.content ?? '',
    usage: normaliseOpenAIUsage(data.usage),
    finishReason: mapOpenAIFinish(choice?.finish_reason),
    rawUsage: data.usage,
  };
}

async function generateStream(
  ai: OpenAI,
  req: ModelRequest,
  opts: CallOptions,
  signal: AbortSignal,
  state: CallState,
): Promise<ModelResult> {
  const startedAt = performance.now();
  const params = { ...toOpenAIParams(req), stream: true as const, stream_options: { include_usage: true } };
  const { data, response } = await ai.chat.completions.create(params, { signal }).withResponse();
  state.streaming = true;
  const text = createTextCollector(startedAt, opts.onText);
  const out = await readOpenAIStream(data, text, state);
  return compact({
    ...common(req, response, startedAt),
    responseModel: out.model,
    text: text.text(),
    usage: normaliseOpenAIUsage(out.rawUsage),
    finishReason: mapOpenAIFinish(out.finishReason),
    firstTokenMs: text.firstTokenMs(),
    rawUsage: out.rawUsage,
  });
}

/** Creates the OpenAI Chat Completions provider, built on the official SDK with its retries off. */
export function createOpenAIProvider(opts: OpenAIProviderOptions = {}): ModelProvider {
  const guard = (apiKey: string): GuardSpec => ({ vendor: 'openai', apiKey, describe: describeOpenAIError });
  return {
    vendor: 'openai',
    generate(req, apiKey, call) {
      return guardCall(guard(apiKey), call, (signal, state) => {
        const ai = client(apiKey, opts.baseUrl, call.timeoutMs);
        return call.stream ? generateStream(ai, req, call, signal, state) : generateJson(ai, req, signal);
      });
    },
    listModels(apiKey, listOpts = {}) {
      const timeoutMs = listOpts.timeoutMs ?? LIST_TIMEOUT_MS;
      return guardCall(guard(apiKey), { signal: listOpts.signal, timeoutMs }, async (signal) => {
        const page = await client(apiKey, opts.baseUrl, timeoutMs).models.list({ signal });
        return page.data.map((m) => m.id);
      });
    },
  };
}
