import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { dataResidencyRegion, normaliseOpenAIUsage } from '../../adapters/models/openai-map.ts';
import { computeCost } from '../../src/money/cost.ts';
import { consumedByFailure } from '../../src/routing/consumed-usage.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { keyFor, request, withFake, type ContractContext } from '../contracts/model-provider-support.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const at = new Date('2026-12-07T12:00:00Z');
const usage = { ...ZERO_USAGE, inputTokens: 100_000, outputTokens: 100_000 };

describe('OpenAI regional processing (data-residency endpoints cost 10% more on models from 2026-03-05)', () => {
  it('GIVEN the endpoint a provider calls THEN its region is the one in the host, and only a data-residency host has one', () => {
    expect(dataResidencyRegion('https://eu.api.openai.com/v1')).toBe('eu');
    expect(dataResidencyRegion('https://US.API.OPENAI.COM/v1/')).toBe('us');
    expect(dataResidencyRegion('https://api.openai.com/v1')).toBeUndefined();
    expect(dataResidencyRegion(undefined)).toBeUndefined();
    expect(dataResidencyRegion('http://127.0.0.1:8080/v1')).toBeUndefined();
    expect(dataResidencyRegion('https://eu.api.openai.com.example.net/v1')).toBeUndefined();
    expect(dataResidencyRegion('not a url')).toBeUndefined();
    expect(normaliseOpenAIUsage({ prompt_tokens: 10, completion_tokens: 2 }, 'default', 'eu')).toMatchObject({ inferenceGeo: 'eu', serviceTier: 'default' });
    expect(normaliseOpenAIUsage({ prompt_tokens: 10, completion_tokens: 2 }, 'default')).not.toHaveProperty('inferenceGeo');
  });

  it('GIVEN a call processed in the EU THEN a current model costs 1.1×, with Fast 2.2×; a model released before 2026-03-05 1×', () => {
    // gpt-6-luna: 100,000 × $0.10 + 100,000 × $0.50 = $0.06.
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, inferenceGeo: 'eu' }, { at })).toMatchObject({ usd: 0.066, geoMultiplier: 1.1 });
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, inferenceGeo: 'eu', serviceTier: 'fast' }, { at })!.usd).toBe(0.132);
    expect(computeCost(builtInPrices, 'openai', 'gpt-5.6-luna', { ...usage, inferenceGeo: 'us' }, { at })!.usd).toBe(0.154);
    expect(computeCost(builtInPrices, 'openai', 'gpt-4o', { ...usage, inferenceGeo: 'eu' }, { at })!.usd).toBe(1.25);
  });
});

describe('through the real OpenAI SDK against the fake vendor, addressed as eu.api.openai.com', () => {
  const asked: string[] = [];
  beforeEach(() => {
    asked.length = 0;
    const realFetch = globalThis.fetch;
    // The SDK asks for eu.api.openai.com; the request is delivered to the fake on loopback.
    vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      asked.push(url);
      return realFetch(url.replace('//eu.api.openai.com:', '//127.0.0.1:'), init);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('GIVEN OPENAI_BASE_URL on the EU endpoint THEN the usage says eu and the call is billed 1.1×', async () => {
    const ctx: ContractContext = {
      vendor: 'openai',
      key: keyFor('openai'),
      createProvider: (url) => createOpenAIProvider({ baseUrl: url.replace('//127.0.0.1:', '//eu.api.openai.com:') }),
    };
    await withFake(ctx, { respond: () => ({ usage: { input: 100_000, output: 100_000 } }) }, async (fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request('openai', { model: 'gpt-6-luna' }), ctx.key, { timeoutMs: 5000, stream });
        expect(r.usage).toMatchObject({ inferenceGeo: 'eu', inputTokens: 100_000 });
        expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', r.usage, { at })!.usd).toBe(0.066);
      }
      expect(fake.requests.filter((q) => q.model !== '')).toHaveLength(2);
      expect(asked).toEqual([
        expect.stringMatching(/^http:\/\/eu\.api\.openai\.com:\d+\/v1\/chat\/completions$/),
        expect.stringMatching(/^http:\/\/eu\.api\.openai\.com:\d+\/v1\/chat\/completions$/),
      ]);
    });
  });

  it('GIVEN a stream on the EU endpoint cut before its usage chunk THEN its estimate keeps the region and its 1.1×', async () => {
    const ctx: ContractContext = {
      vendor: 'openai',
      key: keyFor('openai'),
      createProvider: (url) => createOpenAIProvider({ baseUrl: url.replace('//127.0.0.1:', '//eu.api.openai.com:') }),
    };
    const text = 'one two three four five six seven eight';
    await withFake(ctx, { respond: () => ({ text, usage: { input: 100_000, output: 30 }, cutAfterChunks: 8 }) }, async (_fake, provider) => {
      const req = request('openai', { model: 'gpt-6-luna' });
      const err = await provider.generate(req, ctx.key, { timeoutMs: 5000, stream: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      const consumed = consumedByFailure(req, err);
      expect(consumed?.usage).toMatchObject({ inferenceGeo: 'eu' });
      const global = computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...consumed!.usage, inferenceGeo: undefined }, { at })!.usd;
      expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', consumed!.usage, { at })!.usd).toBeCloseTo(global * 1.1, 12);
    });
  });
});
