import { ApiError } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../adapters/models/classify.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { describeGoogleError } from '../../adapters/models/google-map.ts';
import { runModelProviderContract } from '../contracts/model-provider.contract.ts';
import { expectVendorError, keyFor, request, withFake, type ContractContext } from '../contracts/model-provider-support.ts';

const createProvider = (baseUrl: string) => createGoogleProvider({ baseUrl });

const NO_HEADERS = 'genai exposes no response headers; the hint is RetryInfo in the body';

runModelProviderContract({
  vendor: 'google',
  createProvider,
  skip: {
    '529 is overloaded': 'Gemini never sends 529; its overload is 503 UNAVAILABLE',
    'parses the rate-limit snapshot from response headers': 'Gemini sends no rate-limit headers',
    '429 with retry-after seconds is rate_limit with retryAfterMs': NO_HEADERS,
    '429 with retry-after-ms is rate_limit with retryAfterMs': NO_HEADERS,
    'a reached spend limit is spend_limit, not retryable': 'Gemini has no spend-limit error apart from quota',
  },
});

const ctx: ContractContext = { vendor: 'google', createProvider, key: keyFor('google') };

describe('Gemini specifics', () => {
  it('adds thoughtsTokenCount to output and keeps cached inside promptTokenCount', async () => {
    const usage = { input: 5000, cacheRead: 4000, output: 140, reasoning: 100 };
    await withFake(ctx, { respond: () => ({ usage }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request('google'), ctx.key, { timeoutMs: 5000, stream });
        expect(r.rawUsage).toMatchObject({ promptTokenCount: 5000, cachedContentTokenCount: 4000, candidatesTokenCount: 40, thoughtsTokenCount: 100 });
        expect(r.usage).toEqual({
          inputTokens: 5000,
          cacheReadTokens: 4000,
          cacheWriteTokens: 0,
          cacheWrite1hTokens: 0,
          outputTokens: 140,
          reasoningTokens: 100,
        });
      }
    });
  });

  it('calls v1beta with the key in x-goog-api-key and maps roles and system', async () => {
    await withFake(ctx, {}, async (fake, provider) => {
      await provider.generate(request('google', { maxTokens: 64 }), ctx.key, { timeoutMs: 5000 });
      await provider.generate(request('google'), ctx.key, { timeoutMs: 5000, stream: true });
      const [json, sse] = fake.requests;
      expect(json?.path).toBe('/v1beta/models/gemini-2.5-flash:generateContent');
      expect([sse?.path, sse?.search]).toEqual(['/v1beta/models/gemini-2.5-flash:streamGenerateContent', '?alt=sse']);
      expect(json?.headers['x-goog-api-key']).toBe(ctx.key);
      expect(json?.body).toMatchObject({
        contents: [{ role: 'user' }, { role: 'model' }, { role: 'user', parts: [{ text: 'What is the capital of France?' }] }],
        systemInstruction: { parts: [{ text: 'You are terse.' }] },
        generationConfig: { maxOutputTokens: 64 },
      });
    });
  });

  it('reads a fractional RetryInfo delay', async () => {
    await withFake(ctx, { respond: () => ({ status: 429, retryAfterMs: 1500 }) }, async (_fake, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request('google'), ctx.key, { timeoutMs: 5000 }), 'rate_limit');
      expect(err.retryAfterMs).toBe(1500);
    });
  });

  it.each([
    ['a per-day quota', { period: 'day', limit: 250 }, 'quota'],
    ['a limit of 0 (model not in this tier)', { period: 'minute', limit: 0 }, 'quota'],
    ['a per-minute quota', { period: 'minute', limit: 15 }, 'rate_limit'],
    // "limit: 0.5" is half a request, not "limit: 0": a slow limit that refills, not a model outside the tier.
    ['a fractional per-minute limit', { period: 'minute', limit: 0.5 }, 'rate_limit'],
  ] as const)('treats %s as %s', async (_name, quota, kind) => {
    await withFake(ctx, { respond: () => ({ status: 429, quota, retryAfterMs: 20_000 }) }, async (_fake, provider) => {
      const err = await expectVendorError(ctx, provider.generate(request('google'), ctx.key, { timeoutMs: 5000 }), kind);
      expect(err.retryAfterMs).toBe(20_000);
    });
  });

  it('504 DEADLINE_EXCEEDED is a retryable server error', async () => {
    await withFake(ctx, { respond: () => ({ status: 504 }) }, async (_fake, provider) => {
      await expectVendorError(ctx, provider.generate(request('google'), ctx.key, { timeoutMs: 5000 }), 'server');
    });
  });
});

describe('describeGoogleError', () => {
  const body = { error: { code: 429, message: 'Quota exceeded. Please retry in 33.97s.', status: 'RESOURCE_EXHAUSTED' } };

  it('reads the JSON body genai puts in the message', () => {
    const f = describeGoogleError(new ApiError({ message: JSON.stringify(body), status: 429 }));
    expect(f).toMatchObject({ status: 429, type: 'RESOURCE_EXHAUSTED' });
    expect(classifyFailure('google', f ?? {}, Date.now())).toEqual({ kind: 'rate_limit', retryAfterMs: 33_970 });
  });

  it("prefers the message's exact delay to RetryInfo's whole seconds, and uses RetryInfo alone when the message has none", () => {
    const retryInfo = (retryDelay: string) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay });
    const both = { error: { ...body.error, message: 'Quota exceeded. Please retry in 0.25s.', details: [retryInfo('1s')] } };
    expect(classifyFailure('google', describeGoogleError(new ApiError({ message: JSON.stringify(both), status: 429 })) ?? {}, Date.now())).toMatchObject({
      retryAfterMs: 250,
    });
    const only = { error: { ...body.error, message: 'Quota exceeded.', details: [retryInfo('7s')] } };
    expect(classifyFailure('google', describeGoogleError(new ApiError({ message: JSON.stringify(only), status: 429 })) ?? {}, Date.now())).toMatchObject({
      retryAfterMs: 7000,
    });
  });

  it('reads in-stream error chunks prefixed with "got status"', () => {
    const unavailable = { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } };
    const f = describeGoogleError(new ApiError({ message: `got status: UNAVAILABLE. ${JSON.stringify(unavailable)}`, status: 503 }));
    expect(classifyFailure('google', f ?? {}, Date.now()).kind).toBe('overloaded');
  });

  it('ignores errors that are not genai ApiErrors', () => {
    expect(describeGoogleError(new TypeError('fetch failed'))).toBeUndefined();
  });
});
