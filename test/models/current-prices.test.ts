import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import type { Usage, Vendor } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

// Every figure below is worked out by hand from the vendors' pages (USD per 1M tokens), as
// whole nano-dollars: tokens × rate in n$/token ($/1M × 1000).

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const at = new Date('2026-12-07T12:00:00Z');
const nano = (n: number) => n / 1e9;
const usage = (u: Partial<Usage>): Usage => ({
  inputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  ...u,
});
const usd = (vendor: Vendor, model: string, u: Partial<Usage>, when = at) => computeCost(builtInPrices, vendor, model, usage(u), { at: when })?.usd;

describe('Claude Sonnet 4.6 bills one rate across its 1M context', () => {
  it('GIVEN 300,000 prompt tokens THEN $3/$15 on every token, not the 2× of the Sonnet 4 long-context tier', () => {
    expect(usd('anthropic', 'claude-sonnet-4-6', { inputTokens: 300_000, outputTokens: 2_000 })).toBe(nano(300_000 * 3_000 + 2_000 * 15_000));
    const c = computeCost(builtInPrices, 'anthropic', 'claude-sonnet-4-6', usage({ inputTokens: 300_000, cacheReadTokens: 100_000, outputTokens: 2_000 }), {
      at,
    })!;
    expect(c.tier).toBe('standard');
    expect(c.usd).toBe(nano(200_000 * 3_000 + 100_000 * 300 + 2_000 * 15_000));
  });
});

describe('models the vendors sell today are priced (10,000 in, of which 2,000 cached; 1,000 out)', () => {
  const u = { inputTokens: 10_000, cacheReadTokens: 2_000, outputTokens: 1_000 };
  it.each([
    // Anthropic: input excludes cache reads. Opus 4.8 $5/$0.50/$25; Fable 5 $10/$1/$50.
    ['anthropic', 'claude-opus-4-8', 8_000 * 5_000 + 2_000 * 500 + 1_000 * 25_000],
    ['anthropic', 'claude-fable-5', 8_000 * 10_000 + 2_000 * 1_000 + 1_000 * 50_000],
    // OpenAI: GPT-6.1 Sol $2/$0.10/$10, GPT-6 Astra $10/$1/$50, GPT-5.6 Sol $5/$0.50/$30 (list price
    // again since 2026-12-01), GPT-5.6 Terra $2/$0.20/$12, GPT-5.6 Luna $0.20/$0.02/$1.20.
    ['openai', 'gpt-6.1-sol', 8_000 * 2_000 + 2_000 * 100 + 1_000 * 10_000],
    ['openai', 'gpt-6-astra', 8_000 * 10_000 + 2_000 * 1_000 + 1_000 * 50_000],
    ['openai', 'gpt-5.6-sol', 8_000 * 5_000 + 2_000 * 500 + 1_000 * 30_000],
    ['openai', 'gpt-5.6-terra', 8_000 * 2_000 + 2_000 * 200 + 1_000 * 12_000],
    ['openai', 'gpt-5.6-luna', 8_000 * 200 + 2_000 * 20 + 1_000 * 1_200],
    // Google: Gemini 3.5 Flash $1.50/$0.15/$9, Gemini 3.1 Flash-Lite $0.25/$0.025/$1.50.
    ['google', 'gemini-3.5-flash', 8_000 * 1_500 + 2_000 * 150 + 1_000 * 9_000],
    ['google', 'gemini-3.1-flash-lite', 8_000 * 250 + 2_000 * 25 + 1_000 * 1_500],
  ] as const)('%s:%s', (vendor, model, n) => {
    expect(usd(vendor, model, u)).toBe(nano(n));
  });

  it('GPT-5.6 Sol: $5/$30 at launch, the $4/$20 promotion from 2026-08-21, $5/$30 again from 2026-12-01', () => {
    const plain = { inputTokens: 10_000, outputTokens: 1_000 };
    expect(usd('openai', 'gpt-5.6-sol', plain, new Date('2026-08-20T23:59:59Z'))).toBe(nano(10_000 * 5_000 + 1_000 * 30_000));
    expect(usd('openai', 'gpt-5.6-sol', plain, new Date('2026-11-30T23:59:59Z'))).toBe(nano(10_000 * 4_000 + 1_000 * 20_000));
    expect(usd('openai', 'gpt-5.6-sol', plain, new Date('2026-12-01T00:00:00Z'))).toBe(nano(10_000 * 5_000 + 1_000 * 30_000));
  });
});

describe('newly priced models through their real SDKs, billed in the evidence', () => {
  it.each([
    ['anthropic', 'claude-opus-4-8', 10_000 * 5_000 + 1_000 * 25_000],
    ['openai', 'gpt-6.1-sol', 10_000 * 2_000 + 1_000 * 10_000],
    ['google', 'gemini-3.5-flash', 10_000 * 1_500 + 1_000 * 9_000],
  ] as const)('%s:%s', async (vendor, model, n) => {
    h = await startHarness({ vendors: { [vendor]: () => ({ text: 'ok', usage: { input: 10_000, output: 1_000 } }) } });
    const r = await h.run(`/ask --yes --model ${vendor}:${model} what is the rate?`);
    expect(r.tone, r.text).not.toBe('error');
    const record = await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer ?? '')![1]!, 'local');
    expect(record!.calls[0]!.costUsd).toBe(nano(n));
  });
});
