import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { computeCost } from '../../src/money/cost.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const at = new Date('2026-12-07T12:00:00Z');
const usage = { ...ZERO_USAGE, inputTokens: 100_000, outputTokens: 100_000 };
const frozenAt = (iso: string): Clock => ({ now: () => Date.parse(iso), sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 5), signal) });

describe('the processing tier a vendor reports', () => {
  it('GIVEN OpenAI flex THEN batch rates; default or scale THEN standard; Fast (priority) THEN 2×; Anthropic priority THEN standard', () => {
    // gpt-6-luna: $0.10/$0.50 standard, $0.05/$0.25 batch (under its 272k long-context tier).
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', usage, { at })!.usd).toBe(0.06);
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'default' }, { at })!.usd).toBe(0.06);
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'scale' }, { at })!.usd).toBe(0.06);
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'flex' }, { at })!.usd).toBe(0.03);
    // Priority processing was renamed Fast mode: GPT-6 answers `fast`, GPT-5.6 `priority`; both bill 2×.
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'fast' }, { at })!.usd).toBe(0.12);
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(0.12);
    expect(computeCost(builtInPrices, 'anthropic', 'claude-haiku-5-5', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(
      computeCost(builtInPrices, 'anthropic', 'claude-haiku-5-5', usage, { at })!.usd,
    );
  });

  it('GIVEN Ultrafast on GPT-6.2 Sol THEN 3× until 2027-02-28 and 6× from 2027-03-01; on a model without a published rate THEN cost unknown', () => {
    // gpt-6.2-sol: 100,000 × $2 + 100,000 × $10 = $1.20 standard.
    expect(computeCost(builtInPrices, 'openai', 'gpt-6.2-sol', usage, { at })!.usd).toBe(1.2);
    expect(computeCost(builtInPrices, 'openai', 'gpt-6.2-sol', { ...usage, serviceTier: 'ultrafast' }, { at: new Date('2027-02-28T23:59:59Z') })!.usd).toBe(
      3.6,
    );
    expect(computeCost(builtInPrices, 'openai', 'gpt-6.2-sol', { ...usage, serviceTier: 'ultrafast' }, { at: new Date('2027-03-01T00:00:00Z') })!.usd).toBe(
      7.2,
    );
    expect(computeCost(builtInPrices, 'openai', 'gpt-6-luna', { ...usage, serviceTier: 'ultrafast' }, { at })).toBeUndefined();
    expect(computeCost(builtInPrices, 'openai', 'gpt-6.2-astra', { ...usage, serviceTier: 'fast' }, { at })).toBeUndefined();
  });

  it('GIVEN priority on an older model THEN the factor of its own Fast price list; GPT-5 nano, not on it, is cost unknown', () => {
    // gpt-5-mini: $0.25/$2 → $0.45/$3.60 (1.8×); gpt-4o: $2.50/$10 → $4.25/$17 (1.7×); gpt-4o-mini $0.15/$0.60 → $0.25/$1.00.
    expect(computeCost(builtInPrices, 'openai', 'gpt-5-mini', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(0.405);
    expect(computeCost(builtInPrices, 'openai', 'gpt-4o', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(2.125);
    expect(computeCost(builtInPrices, 'openai', 'gpt-4o-mini', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(0.125);
    expect(computeCost(builtInPrices, 'openai', 'gpt-5-nano', { ...usage, serviceTier: 'priority' }, { at })).toBeUndefined();
  });

  it.each([
    ['gpt-6-luna', 'flex', '$0.030'],
    ['gpt-6-luna', 'fast', '$0.12'],
    ['gpt-6.2-sol', 'priority', '$2.40'],
    ['gpt-6.2-sol', 'ultrafast', '$3.60'],
    ['gpt-6-luna', 'ultrafast', 'cost unknown'],
  ])('GIVEN OpenAI streams a %s answer served at %s THEN the footer shows %s and the evidence keeps the tier', async (model, tier, shown) => {
    h = await startHarness({
      vendors: { openai: () => ({ text: 'forty-two', usage: { input: 100_000, output: 100_000, serviceTier: tier } }) },
      clock: frozenAt('2026-12-07T12:00:00Z'),
    });
    const r = await h.run(`/ask --yes --model openai:${model} what is 6x7`);
    expect(r.footer).toContain(` · ${shown} · `);
    const [call] = (await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local'))!.calls;
    expect(call!.usage).toMatchObject({ serviceTier: tier });
  });
});
