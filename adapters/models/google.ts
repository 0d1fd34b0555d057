import { GoogleGenAI } from '@google/genai';
import type { ModelProvider } from '../../src/shared/provider-spec.ts';
import { badResponse } from './errors.ts';
import { describeGoogleError, mapGoogleFinish, normaliseGoogleUsage, readGoogleAnswer, toGoogleParams } from './google-map.ts';
import { readGoogleStream } from './google-stream.ts';
import { compact } from './json.ts';
import { createProvider } from './provider-skeleton.ts';
import { createPriceCatalogue, type PriceCatalogue } from '../../src/models/price-catalogue.ts';

/** Options for the Gemini provider; the key is not one of them, it comes per call. */
export interface GoogleProviderOptions {
  /** GEMINI_BASE_URL without the version path; undefined means generativelanguage.googleapis.com. */
  baseUrl?: string | undefined;
  /** The price table in use: a row may carry the model's request rules. Default: the built-in table. */
  catalogue?: PriceCatalogue | undefined;
}

function client(apiKey: string, baseUrl: string | undefined): GoogleGenAI {
  // genai has no retries unless asked; the API version is pinned because 3.x changed the default.
  const httpOptions = { apiVersion: 'v1beta', ...(baseUrl ? { baseUrl } : {}) };
  return new GoogleGenAI({ apiKey, vertexai: false, httpOptions });
}

/** Creates the Gemini API provider (v1beta), built on the official SDK with no retries. */
export function createGoogleProvider(opts: GoogleProviderOptions = {}): ModelProvider {
  const catalogue = opts.catalogue ?? createPriceCatalogue();
  return createProvider({
    vendor: 'google',
    // The deadline is the guard's abort signal, passed with each request.
    makeClient: (apiKey) => client(apiKey, opts.baseUrl),
    describe: describeGoogleError,
    async send(ai, req, signal) {
      const resp = await ai.models.generateContent(toGoogleParams(catalogue, req, signal));
      const answer = readGoogleAnswer(resp);
      if (answer.finish === undefined) throw badResponse('google', 'no candidate and no block reason');
      const usage = normaliseGoogleUsage(resp.usageMetadata);
      return compact({
        responseModel: resp.modelVersion,
        text: answer.text,
        usage,
        finishReason: mapGoogleFinish(answer.finish),
        requestId: resp.responseId,
        rawUsage: resp.usageMetadata,
      });
    },
    stream: {
      open: (ai, req, signal) => ai.models.generateContentStream(toGoogleParams(catalogue, req, signal)),
      async read(frames, text, state) {
        const out = await readGoogleStream(frames, text, state);
        return compact({
          responseModel: out.modelVersion,
          text: text.text(),
          usage: normaliseGoogleUsage(out.rawUsage),
          finishReason: mapGoogleFinish(out.finish),
          requestId: out.responseId,
          rawUsage: out.rawUsage,
        });
      },
    },
    async list(ai, signal) {
      const pager = await ai.models.list({ config: { pageSize: 1000, abortSignal: signal } });
      return pager.page.map((m) => (m.name ?? '').replace(/^models\//, '')).filter((id) => id !== '');
    },
  });
}
