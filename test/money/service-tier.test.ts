import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { ZERO_USAGE } from '../../src/types.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const at = new Date('2026-12-01T12:00:00Z');
const usage = { ...ZERO_USAGE, inputTokens: 100_000, outputTokens: 100_000 };

describe('the processing tier a vendor reports', () => {
  it('GIVEN OpenAI flex THEN batch rates; default or scale THEN standard; priority THEN cost unknown, never a guess; Anthropic priority THEN standard', () => {
    // gpt-6-luna: $0.10/$0.50 standard, $0.05/$0.25 batch (under its 272k long-context tier).
    expect(computeCost('openai', 'gpt-6-luna', usage, { at })!.usd).toBe(0.06);
    expect(computeCost('openai', 'gpt-6-luna', { ...usage, serviceTier: 'default' }, { at })!.usd).toBe(0.06);
    expect(computeCost('openai', 'gpt-6-luna', { ...usage, serviceTier: 'scale' }, { at })!.usd).toBe(0.06);
    expect(computeCost('openai', 'gpt-6-luna', { ...usage, serviceTier: 'flex' }, { at })!.usd).toBe(0.03);
    expect(computeCost('openai', 'gpt-6-luna', { ...usage, serviceTier: 'priority' }, { at })).toBeUndefined();
    expect(computeCost('anthropic', 'claude-haiku-5-5', { ...usage, serviceTier: 'priority' }, { at })!.usd).toBe(
      computeCost('anthropic', 'claude-haiku-5-5', usage, { at })!.usd,
    );
  });

  it.each([
    ['flex', '$0.030'],
    ['priority', 'cost unknown'],
  ])('GIVEN OpenAI streams an answer served at %s THEN the footer shows %s and the evidence keeps the tier', async (tier, shown) => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'forty-two', usage: { input: 100_000, output: 100_000, serviceTier: tier } }) } });
    const r = await h.run('/ask --model openai:gpt-6-luna what is 6x7');
    expect(r.footer).toContain(` · ${shown} · `);
    const [call] = (await h.hive.evidence.get(/evidence (\w{26})/.exec(r.footer!)![1]!, 'local'))!.calls;
    expect(call!.usage).toMatchObject({ serviceTier: tier });
  });
});
