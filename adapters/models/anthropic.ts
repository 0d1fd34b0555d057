import Anthropic from '@anthropic-ai/sdk';
import type { ModelProvider } from '../../src/shared/provider-spec.ts';
import { describeAnthropicError, mapAnthropicFinish, normaliseAnthropicUsage, toAnthropicParams } from './anthropic-map.ts';
import { readAnthropicStream } from './anthropic-stream.ts';
import { parseAnthropicRateLimits } from './rate-limit-headers.ts';
import { compact } from './json.ts';
import { createProvider } from './provider-skeleton.ts';
import { createPriceCatalogue, type PriceCatalogue } from '../../src/models/price-catalogue.ts';

/** Options for the Anthropic provider; the key is not one of them, it comes per call. */
export interface AnthropicProviderOptions {
  /** ANTHROPIC_BASE_URL, e.g. a fake vendor; undefined means api.anthropic.com. */
  baseUrl?: string | undefined;
  /** The price table in use: a row may carry the model's request rules. Default: the built-in table. */
  catalogue?: PriceCatalogue | undefined;
}

function responseMeta(response: Response) {
  return compact({ requestId: response.headers.get('request-id') ?? undefined, rateLimit: parseAnthropicRateLimits(response.headers, Date.now()) });
}

/** Creates the Anthropic Messages API provider, built on the official SDK with its retries off. */
export function createAnthropicProvider(opts: AnthropicProviderOptions = {}): ModelProvider {
  const catalogue = opts.catalogue ?? createPriceCatalogue();
  return createProvider({
    vendor: 'anthropic',
    makeClient: (apiKey, timeoutMs) => new Anthropic({ apiKey, baseURL: opts.baseUrl ?? null, maxRetries: 0, timeout: timeoutMs, logLevel: 'off' }),
    describe: describeAnthropicError,
    async send(ai, req, signal) {
      const { data, response } = await ai.messages.create(toAnthropicParams(catalogue, req), { signal }).withResponse();
      const text = data.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      return {
        ...responseMeta(response),
        responseModel: data.model,
        text,
        usage: normaliseAnthropicUsage(data.usage),
        finishReason: mapAnthropicFinish(data.stop_reason),
        rawUsage: data.usage,
      };
    },
    stream: {
      open: (ai, req, signal) => ai.messages.create({ ...toAnthropicParams(catalogue, req), stream: true as const }, { signal }).withResponse(),
      async read({ data, response }, text, state) {
        const out = await readAnthropicStream(data, text, state);
        return compact({
          ...responseMeta(response),
          responseModel: out.model,
          text: text.text(),
          usage: normaliseAnthropicUsage(out.rawUsage),
          finishReason: mapAnthropicFinish(out.stopReason),
          rawUsage: out.rawUsage,
        });
      },
    },
    list: async (ai, signal) => (await ai.models.list({ limit: 1000 }, { signal })).data.map((m) => m.id),
  });
}
