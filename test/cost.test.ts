import { describe, expect, it } from 'vitest';
import { computeCost, priceUsage, type Cost } from '../src/money/cost.ts';
import type { Price } from '../src/models/prices.ts';
import type { Usage, Vendor } from '../src/shared/provider-spec.ts';
import { builtInPrices } from './helpers/built-in-prices.ts';

// Every expected dollar figure below was worked out by hand from the vendor price sheets
// (USD per 1M tokens), not by calling the code under test with another formula.

/** Normalised usage; `inputTokens` and `outputTokens` are inclusive totals, as in src/types.ts. */
function usage(u: Partial<Usage>): Usage {
  return {
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    ...u,
  };
}

function cost(vendor: Vendor, model: string | readonly string[], u: Partial<Usage>, batch = false): Cost {
  const c = computeCost(builtInPrices, vendor, model, usage(u), { batch, at: new Date() });
  if (!c) throw new Error(`no cost for ${vendor}:${String(model)}`);
  return c;
}

describe('plain input/output, seed models (12,345 in / 6,789 out)', () => {
  const cases: [Vendor, string, number][] = [
    ['anthropic', 'claude-3-5-haiku-20241022', 0.037032], // 0.009876 + 0.027156
    ['anthropic', 'claude-sonnet-4-20250514', 0.13887], // 0.037035 + 0.101835
    ['anthropic', 'claude-opus-4-1-20250805', 0.69435], // 0.185175 + 0.509175
    ['openai', 'gpt-4o-mini', 0.00592515], // 0.00185175 + 0.0040734
    ['openai', 'gpt-4o', 0.0987525], // 0.0308625 + 0.06789
    ['google', 'gemini-2.5-flash', 0.020676], // 0.0037035 + 0.0169725
    ['google', 'gemini-2.5-pro', 0.08332125], // 0.01543125 + 0.06789
  ];
  it.each(cases)('%s:%s costs $%s', (vendor, model, usd) => {
    const c = cost(vendor, model, { inputTokens: 12_345, outputTokens: 6_789 });
    expect(c.usd).toBe(usd);
    expect(c.tier).toBe('standard');
    expect(c.batch).toBe(false);
    expect(c.priceChecked).toBe('2026-11-24');
  });
});

describe('plain input/output, current models (10,000 in / 1,000 out)', () => {
  const cases: [Vendor, string, number][] = [
    ['anthropic', 'claude-haiku-4-5', 0.015],
    ['anthropic', 'claude-sonnet-4-5', 0.045],
    ['anthropic', 'claude-opus-4', 0.225],
    ['anthropic', 'claude-opus-4-5', 0.075],
    ['openai', 'gpt-4.1', 0.028],
    ['openai', 'gpt-4.1-mini', 0.0056],
    ['openai', 'gpt-4.1-nano', 0.0014],
    ['openai', 'gpt-5', 0.0225],
    ['openai', 'gpt-5-mini', 0.0045],
    ['openai', 'gpt-5-nano', 0.0009],
    ['google', 'gemini-2.5-flash-lite', 0.0014],
  ];
  it.each(cases)('%s:%s costs $%s', (vendor, model, usd) => {
    expect(cost(vendor, model, { inputTokens: 10_000, outputTokens: 1_000 }).usd).toBe(usd);
  });
});

describe('Anthropic prompt caching', () => {
  it('bills uncached input, cache reads, 5m and 1h writes and output separately (Sonnet 4.5)', () => {
    // Wire: input_tokens 1,000; cache_read 50,000; cache_creation 20,000 (8,000 of them 1h); output 2,000.
    const c = cost('anthropic', 'claude-sonnet-4-5-20250929', {
      inputTokens: 71_000,
      cacheReadTokens: 50_000,
      cacheWriteTokens: 20_000,
      cacheWrite1hTokens: 8_000,
      outputTokens: 2_000,
    });
    // 1,000 × $3 + 50,000 × $0.30 + 12,000 × $3.75 + 8,000 × $6 + 2,000 × $15
    expect(c.breakdown).toEqual({ input: 0.003, cacheRead: 0.015, cacheWrite: 0.093, output: 0.03 });
    expect(c.usd).toBe(0.141);
    expect(c.modelId).toBe('claude-sonnet-4-5');
  });

  it('uses each model\u2019s own cache rates (Haiku 3.5)', () => {
    // 1,000 × $0.80 + 2,000 × $0.08 + 1,500 × $1 + 500 × $1.60
    const c = cost('anthropic', 'claude-3-5-haiku-latest', {
      inputTokens: 5_000,
      cacheReadTokens: 2_000,
      cacheWriteTokens: 2_000,
      cacheWrite1hTokens: 500,
    });
    expect(c.breakdown).toEqual({ input: 0.0008, cacheRead: 0.00016, cacheWrite: 0.0023, output: 0 });
    expect(c.usd).toBe(0.00326);
  });

  it('bills a cache hit on Opus 4.5 at $0.50', () => {
    // 2,000 × $5 + 8,000 × $0.50 + 500 × $25
    expect(cost('anthropic', 'claude-opus-4-5', { inputTokens: 10_000, cacheReadTokens: 8_000, outputTokens: 500 }).usd).toBe(0.0265);
  });
});

describe('OpenAI cached prompt tokens (prompt_tokens includes cached_tokens)', () => {
  it('GPT-4o mini: cached at half price', () => {
    // 4,000 × $0.15 + 6,000 × $0.075 + 1,000 × $0.60
    const c = cost('openai', 'gpt-4o-mini-2024-07-18', { inputTokens: 10_000, cacheReadTokens: 6_000, outputTokens: 1_000 });
    expect(c.breakdown).toEqual({ input: 0.0006, cacheRead: 0.00045, cacheWrite: 0, output: 0.0006 });
    expect(c.usd).toBe(0.00165);
  });

  it('GPT-4.1: cached at a quarter', () => {
    // 60,000 × $2 + 40,000 × $0.50 + 5,000 × $8
    expect(cost('openai', 'gpt-4.1', { inputTokens: 100_000, cacheReadTokens: 40_000, outputTokens: 5_000 }).usd).toBe(0.18);
  });

  it('GPT-5: cached at a tenth', () => {
    // 5,000 × $1.25 + 45,000 × $0.125 + 2,000 × $10
    const c = cost('openai', 'gpt-5', { inputTokens: 50_000, cacheReadTokens: 45_000, outputTokens: 2_000, reasoningTokens: 1_500 });
    expect(c.usd).toBe(0.031875);
  });
});

describe('reasoning tokens are output, billed once', () => {
  it('GPT-5: completion_tokens 9,000 of which reasoning 8,000', () => {
    // 2,000 × $1.25 + 9,000 × $10
    const c = cost('openai', 'gpt-5-2025-08-07', { inputTokens: 2_000, outputTokens: 9_000, reasoningTokens: 8_000 });
    expect(c.breakdown.output).toBe(0.09);
    expect(c.usd).toBe(0.0925);
    const noReasoning = cost('openai', 'gpt-5', { inputTokens: 2_000, outputTokens: 9_000, reasoningTokens: 0 });
    expect(noReasoning.usd).toBe(0.0925);
  });

  it('Gemini 2.5 Flash: candidates 500 + thoughts 3,000 = 3,500 output', () => {
    // 1,500 × $0.30 + 3,500 × $2.50
    expect(cost('google', 'gemini-2.5-flash', { inputTokens: 1_500, outputTokens: 3_500, reasoningTokens: 3_000 }).usd).toBe(0.0092);
  });

  it('Gemini 2.5 Pro: cached content, candidates and thoughts together', () => {
    // prompt 11,500 (10,000 cached), candidates 1,000, thoughts 10,000:
    // 1,500 × $1.25 + 10,000 × $0.125 + 11,000 × $10
    const c = cost('google', 'models/gemini-2.5-pro', {
      inputTokens: 11_500,
      cacheReadTokens: 10_000,
      outputTokens: 11_000,
      reasoningTokens: 10_000,
    });
    expect(c.breakdown).toEqual({ input: 0.001875, cacheRead: 0.00125, cacheWrite: 0, output: 0.11 });
    expect(c.usd).toBe(0.113125);
  });
});

describe('long-context tier', () => {
  it('Gemini 2.5 Pro at exactly 200,000 prompt tokens stays standard', () => {
    const c = cost('google', 'gemini-2.5-pro', { inputTokens: 200_000, outputTokens: 1_000 });
    expect(c.tier).toBe('standard');
    expect(c.usd).toBe(0.26); // 200,000 × $1.25 + 1,000 × $10
  });

  it('Gemini 2.5 Pro at 200,001 prompt tokens bills every token at $2.50 / $15', () => {
    const c = cost('google', 'gemini-2.5-pro', { inputTokens: 200_001, outputTokens: 1_000 });
    expect(c.tier).toBe('long_context');
    expect(c.usd).toBe(0.5150025); // 200,001 × $2.50 + 1,000 × $15
  });

  it('Gemini 2.5 Pro long prompt with cached content: cache at $0.25', () => {
    // 200,000 × $2.50 + 100,000 × $0.25 + 2,000 × $15
    const c = cost('google', 'gemini-2.5-pro', { inputTokens: 300_000, cacheReadTokens: 100_000, outputTokens: 2_000 });
    expect(c.usd).toBe(0.555);
  });

  it('Claude Sonnet 4 above 200k: $6 / $22.50', () => {
    expect(cost('anthropic', 'claude-sonnet-4', { inputTokens: 200_000 }).usd).toBe(0.6);
    const c = cost('anthropic', 'claude-sonnet-4-20250514', { inputTokens: 250_000, outputTokens: 2_000 });
    expect(c.tier).toBe('long_context');
    expect(c.usd).toBe(1.545); // 250,000 × $6 + 2,000 × $22.50
  });

  it('Claude Sonnet 4.5: cache reads and writes count toward the threshold and take long rates', () => {
    // 100,000 × $6 + 150,000 × $0.60 + 50,000 × $7.50 + 1,000 × $22.50
    const c = cost('anthropic', 'claude-sonnet-4-5', {
      inputTokens: 300_000,
      cacheReadTokens: 150_000,
      cacheWriteTokens: 50_000,
      outputTokens: 1_000,
    });
    expect(c.breakdown).toEqual({ input: 0.6, cacheRead: 0.09, cacheWrite: 0.375, output: 0.0225 });
    expect(c.usd).toBe(1.0875);
  });

  it('a model without a long tier keeps its rates (Haiku 4.5, 300k)', () => {
    const c = cost('anthropic', 'claude-haiku-4-5', { inputTokens: 300_000 });
    expect(c.tier).toBe('standard');
    expect(c.usd).toBe(0.3);
  });
});

describe('batch', () => {
  it('Haiku 4.5: $0.50 / $2.50', () => {
    const c = cost('anthropic', 'claude-haiku-4-5', { inputTokens: 100_000, outputTokens: 10_000 }, true);
    expect(c.batch).toBe(true);
    expect(c.usd).toBe(0.075);
  });

  it('Opus 4.1: $7.50 / $37.50', () => {
    // 12,345 × $7.50 + 6,789 × $37.50
    expect(cost('anthropic', 'claude-opus-4-1', { inputTokens: 12_345, outputTokens: 6_789 }, true).usd).toBe(0.347175);
  });

  it('Sonnet 4.5: a 5m cache write scales with the batch discount ($1.875)', () => {
    // 10,000 × $1.50 + 20,000 × $1.875 + 1,000 × $7.50
    const c = cost('anthropic', 'claude-sonnet-4-5', { inputTokens: 30_000, cacheWriteTokens: 20_000, outputTokens: 1_000 }, true);
    expect(c.usd).toBe(0.06);
  });

  it('GPT-5 mini: cached input at half the cached rate', () => {
    // 20,000 × $0.125 + 20,000 × $0.0125 + 4,000 × $1
    expect(cost('openai', 'gpt-5-mini', { inputTokens: 40_000, cacheReadTokens: 20_000, outputTokens: 4_000 }, true).usd).toBe(0.00675);
  });

  it('Gemini 2.5 Pro long context in batch: $1.25 / $7.50', () => {
    const c = cost('google', 'gemini-2.5-pro', { inputTokens: 300_000, outputTokens: 10_000 }, true);
    expect(c.tier).toBe('long_context');
    expect(c.usd).toBe(0.45);
  });

  it('Sonnet 4 long context in batch: $3 / $11.25', () => {
    expect(cost('anthropic', 'claude-sonnet-4', { inputTokens: 250_000, outputTokens: 2_000 }, true).usd).toBe(0.7725);
  });
});

describe('model ids', () => {
  it('a dated snapshot and an alias price the same entry', () => {
    const u = { inputTokens: 10_000, outputTokens: 1_000 };
    const dated = cost('anthropic', 'claude-opus-4-20250514', u);
    const alias = cost('anthropic', 'claude-opus-4-0', u);
    expect(dated.modelId).toBe('claude-opus-4');
    expect(alias.modelId).toBe('claude-opus-4');
    expect(alias.usd).toBe(dated.usd);
    expect(cost('openai', 'gpt-4o-2024-11-20', u)).toEqual(cost('openai', 'gpt-4o', u));
  });

  it('gpt-4o-2024-05-13 is its own, pricier entry', () => {
    const c = cost('openai', 'gpt-4o-2024-05-13', { inputTokens: 12_345, outputTokens: 6_789 });
    expect(c.modelId).toBe('gpt-4o-2024-05-13');
    expect(c.usd).toBe(0.16356); // 12,345 × $5 + 6,789 × $15
    expect(cost('openai', 'gpt-4o-2024-05-13', { inputTokens: 10_000, outputTokens: 1_000 }, true).usd).toBe(0.0325);
  });

  it('cached tokens on a model without a cached rate bill at the input rate', () => {
    // gpt-4o-2024-05-13 has no cached-input discount: 6,000 × $5 + 4,000 × $5
    const c = cost('openai', 'gpt-4o-2024-05-13', { inputTokens: 10_000, cacheReadTokens: 4_000 });
    expect(c.breakdown).toEqual({ input: 0.03, cacheRead: 0.02, cacheWrite: 0, output: 0 });
  });

  it('falls back to the served id when the requested one is unknown', () => {
    const c = cost('openai', ['gpt-4o-turbo-preview-x', 'gpt-4o-2024-08-06'], { inputTokens: 1_000, outputTokens: 1_000 });
    expect(c.modelId).toBe('gpt-4o');
    expect(c.usd).toBe(0.0125); // 1,000 × $2.50 + 1,000 × $10
  });

  it('an unknown model is "cost unknown", never a guess', () => {
    const u = usage({ inputTokens: 1_000, outputTokens: 1_000 });
    expect(computeCost(builtInPrices, 'openai', 'gpt-4o-mini-foo', u, { at: new Date() })).toBeUndefined();
    expect(computeCost(builtInPrices, 'anthropic', 'claude-sonnet-4-9', u, { at: new Date() })).toBeUndefined();
    expect(computeCost(builtInPrices, 'google', 'gemini-3-pro', u, { at: new Date() })).toBeUndefined();
    expect(computeCost(builtInPrices, 'openai', 'claude-sonnet-4', u, { at: new Date() })).toBeUndefined();
    expect(computeCost(builtInPrices, 'openai', [], u, { at: new Date() })).toBeUndefined();
  });
});

describe('usage shapes', () => {
  it('zero usage costs zero', () => {
    expect(cost('google', 'gemini-2.5-flash', {}).usd).toBe(0);
  });

  it('clamps uncached input at 0 when cache counts exceed the prompt (inconsistent report)', () => {
    // 150 × $1.25 for the reads; nothing negative for the "-50" uncached tokens.
    const c = cost('openai', 'gpt-4o', { inputTokens: 100, cacheReadTokens: 150 });
    expect(c.breakdown).toEqual({ input: 0, cacheRead: 0.0001875, cacheWrite: 0, output: 0 });
  });

  it('caps the 1h part of cache writes at the total written', () => {
    const c = cost('anthropic', 'claude-haiku-4-5', { inputTokens: 1_000, cacheWriteTokens: 1_000, cacheWrite1hTokens: 5_000 });
    expect(c.breakdown.cacheWrite).toBe(0.002); // 1,000 × $2
  });

  it('ignores negative and non-finite counts', () => {
    const c = cost('openai', 'gpt-4o', { inputTokens: 1_000, outputTokens: -5, cacheReadTokens: Number.NaN });
    expect(c.usd).toBe(0.0025);
  });
});

describe('priceUsage fallbacks (synthetic price)', () => {
  const bare: Price = { input: 2, output: 4, checked: '2026-11-24', source: 'test' };

  it('bills cache reads and both write kinds at the input rate when no cache rates exist', () => {
    // 1,000 uncached + 1,000 read + 1,000 5m + 1,000 1h, all × $2; 1,000 × $4 output
    const p = priceUsage(
      bare,
      usage({
        inputTokens: 4_000,
        cacheReadTokens: 1_000,
        cacheWriteTokens: 2_000,
        cacheWrite1hTokens: 1_000,
        outputTokens: 1_000,
      }),
    );
    expect(p?.breakdown).toEqual({ input: 0.002, cacheRead: 0.002, cacheWrite: 0.004, output: 0.004 });
    expect(p?.usd).toBe(0.012);
  });

  it('is unknown in batch when no batch rates exist', () => {
    expect(priceUsage(bare, usage({ inputTokens: 1 }), { batch: true })).toBeUndefined();
  });
});

describe('current Claude defaults (Sonnet 4.6, Opus 4.7)', () => {
  it('prices them by hand-computed figures', () => {
    const u = { inputTokens: 10_000, cacheReadTokens: 2_000, cacheWriteTokens: 1_000, cacheWrite1hTokens: 0, outputTokens: 3_000, reasoningTokens: 0 };
    // Sonnet 4.6: 7,000×$3 + 2,000×$0.30 + 1,000×$3.75 + 3,000×$15 = 0.021 + 0.0006 + 0.00375 + 0.045
    expect(computeCost(builtInPrices, 'anthropic', 'claude-sonnet-4-6', u, { at: new Date() })?.usd).toBeCloseTo(0.07035, 10);
    // Opus 4.7: 7,000×$5 + 2,000×$0.50 + 1,000×$6.25 + 3,000×$25 = 0.035 + 0.001 + 0.00625 + 0.075
    expect(computeCost(builtInPrices, 'anthropic', 'claude-opus-4-7', u, { at: new Date() })?.usd).toBeCloseTo(0.11725, 10);
  });
});
