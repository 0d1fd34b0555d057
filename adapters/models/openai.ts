import OpenAI from 'openai';
import type { ModelProvider } from '../../src/shared/provider-spec.ts';
import { dataResidencyRegion, describeOpenAIError, mapOpenAIFinish, normaliseOpenAIUsage, toOpenAIParams } from './openai-map.ts';
import { readOpenAIStream } from './openai-stream.ts';
import { parseOpenAIRateLimits } from './rate-limit-headers.ts';
import { compact } from './json.ts';
import { createProvider } from './provider-skeleton.ts';
import { createPriceCatalogue, type PriceCatalogue } from '../../src/models/price-catalogue.ts';

/** Options for the OpenAI provider; the key is not one of them, it comes per call. */
export interface OpenAIProviderOptions {
  /** OPENAI_BASE_URL including `/v1`; undefined means api.openai.com/v1. */
  baseUrl?: string | undefined;
  /** The price table in use: a row may carry the model's request rules. Default: the built-in table. */
  catalogue?: PriceCatalogue | undefined;
}

function client(apiKey: string, baseUrl: string | undefined, timeoutMs: number): OpenAI {
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

function responseMeta(response: Response) {
  return compact({ requestId: response.headers.get('x-request-id') ?? undefined, rateLimit: parseOpenAIRateLimits(response.headers) });
}

/** Creates the OpenAI Chat Completions provider, built on the official SDK with its retries off. */
export function createOpenAIProvider(opts: OpenAIProviderOptions = {}): ModelProvider {
  const region = dataResidencyRegion(opts.baseUrl);
  const catalogue = opts.catalogue ?? createPriceCatalogue();
  return createProvider({
    vendor: 'openai',
    makeClient: (apiKey, timeoutMs) => client(apiKey, opts.baseUrl, timeoutMs),
    describe: describeOpenAIError,
    async send(ai, req, signal) {
      const { data, response } = await ai.chat.completions.create(toOpenAIParams(catalogue, req), { signal }).withResponse();
      const choice = data.choices[0];
      return {
        ...responseMeta(response),
        responseModel: data.model,
        text: choice?.message.content ?? '',
        usage: normaliseOpenAIUsage(data.usage, data.service_tier, region),
        finishReason: mapOpenAIFinish(choice?.finish_reason),
        rawUsage: data.usage,
      };
    },
    stream: {
      open: (ai, req, signal) =>
        ai.chat.completions
          .create({ ...toOpenAIParams(catalogue, req), stream: true as const, stream_options: { include_usage: true } }, { signal })
          .withResponse(),
      async read({ data, response }, text, state) {
        if (region !== undefined) state.inferenceGeo = region;
        const out = await readOpenAIStream(data, text, state);
        return compact({
          ...responseMeta(response),
          responseModel: out.model,
          text: text.text(),
          usage: normaliseOpenAIUsage(out.rawUsage, out.serviceTier, region),
          finishReason: mapOpenAIFinish(out.finishReason),
          rawUsage: out.rawUsage,
        });
      },
    },
    list: async (ai, signal) => (await ai.models.list({ signal })).data.map((m) => m.id),
  });
}
