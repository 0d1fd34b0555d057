import Anthropic from '@anthropic-ai/sdk';
import type { CallOptions, ModelProvider, ModelRequest, ModelResult } from '../../src/types.ts';
import { createTextCollector, elapsedMs, guardCall, type CallState, type GuardSpec } from './call.ts';
import { describeAnthropicError, mapAnthropicFinish, normaliseAnthropicUsage, toAnthropicParams } from './anthropic-map.ts';
import { readAnthropicStream } from './anthropic-stream.ts';
import { parseAnthropicRateLimits } from './rate-limit-headers.ts';
import { compact } from './json.ts';

/** Options for the Anthropic provider; the key is not one of them, it comes per call. */
export interface AnthropicProviderOptions {
  /** ANTHROPIC_BASE_URL, e.g. a fake vendor; undefined means api.anthropic.com. */
  baseUrl?: string | undefined;
}

const LIST_TIMEOUT_MS = 15_000;

function client(apiKey: string, baseUrl: string | undefined, timeoutMs: number): Anthropic {
  // A client per call keeps the key out of long-lived state; retries belong to the router.
  return new Anthropic({ apiKey, baseURL: baseUrl ?? null, maxRetries: 0, timeout: timeoutMs, logLevel: 'off' });
}

function common(req: ModelRequest, response: Response, startedAt: number) {
  return compact({
    vendor: 'anthropic' as const,
    model: req.model,
    requestId: response.headers.get('request-id') ?? undefined,
    latencyMs: elapsedMs(startedAt),
    rateLimit: parseAnthropicRateLimits(response.headers, Date.now()),
  });
}

async function generateJson(ai: Anthropic, req: ModelRequest, signal: AbortSignal): Promise<ModelResult> {
  const startedAt = performance.now();
  const { data, response } = await ai.messages.create(toAnthropicParams(req), { signal }).withResponse();
  const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  return {
    ...common(req, response, startedAt),
    responseModel: data.model,
    text,
    usage: normaliseAnthropicUsage(data.usage),
    finishReason: mapAnthropicFinish(data.stop_reason),
    rawUsage: data.usage,
  };
}

async function generateStream(
  ai: Anthropic,
  req: ModelRequest,
  opts: CallOptions,
  signal: AbortSignal,
  state: CallState,
): Promise<ModelResult> {
  const startedAt = performance.now();
  const params = { ...toAnthropicParams(req), stream: true as const };
  const { data, response } = await ai.messages.create(params, { signal }).withResponse();
  state.streaming = true;
  const text = createTextCollector(startedAt, opts.onText);
  const out = await readAnthropicStream(data, text, state);
  return compact({
    ...common(req, response, startedAt),
    responseModel: out.model,
    text: text.text(),
    usage: normaliseAnthropicUsage(out.rawUsage),
    finishReason: mapAnthropicFinish(out.stopReason),
    firstTokenMs: text.firstTokenMs(),
    rawUsage: out.rawUsage,
  });
}

/** Creates the Anthropic Messages API provider, built on the official SDK with its retries off. */
export function createAnthropicProvider(opts: AnthropicProviderOptions = {}): ModelProvider {
  const guard = (apiKey: string): GuardSpec => ({ vendor: 'anthropic', apiKey, describe: describeAnthropicError });
  return {
    vendor: 'anthropic',
    generate(req, apiKey, call) {
      return guardCall(guard(apiKey), call, (signal, state) => {
        const ai = client(apiKey, opts.baseUrl, call.timeoutMs);
        return call.stream ? generateStream(ai, req, call, signal, state) : generateJson(ai, req, signal);
      });
    },
    listModels(apiKey, listOpts = {}) {
      const timeoutMs = listOpts.timeoutMs ?? LIST_TIMEOUT_MS;
      return guardCall(guard(apiKey), { signal: listOpts.signal, timeoutMs }, async (signal) => {
        const page = await client(apiKey, opts.baseUrl, timeoutMs).models.list({ limit: 1000 }, { signal });
        return page.data.map((m) => m.id);
      });
    },
  };
}
