import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import type { ModelProvider, Vendor } from '../../src/shared/provider-spec.ts';
import { keyFor, request, withFake, type ContractContext } from '../contracts/model-provider-support.ts';

const PROVIDERS: Record<Vendor, (baseUrl: string) => ModelProvider> = {
  anthropic: (baseUrl) => createAnthropicProvider({ baseUrl }),
  openai: (baseUrl) => createOpenAIProvider({ baseUrl }),
  google: (baseUrl) => createGoogleProvider({ baseUrl }),
};

describe.each(Object.keys(PROVIDERS) as Vendor[])('%s finish values the table does not list', (vendor) => {
  const ctx: ContractContext = { vendor, createProvider: PROVIDERS[vendor], key: keyFor(vendor) };

  it('GIVEN a finish value named like an object property THEN it reads other, streamed or not, and keeps the raw value', async () => {
    await withFake(ctx, { respond: () => ({ finishReason: 'constructor' }) }, async (_fake, provider) => {
      for (const stream of [false, true]) {
        const r = await provider.generate(request(vendor), ctx.key, { timeoutMs: 5000, stream });
        expect(r.finishReason).toEqual({ unified: 'other', raw: 'constructor' });
      }
    });
  });
});
