import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const usage = { ...ZERO_USAGE, inputTokens: 1_000, outputTokens: 100 };

describe("Anthropic's usage.inference_geo", () => {
  it('GIVEN US-only inference on a model that prices it THEN every token costs 1.1×; on an older model, or globally, 1×', () => {
    const at = new Date('2026-12-01T12:00:00Z');
    const global = computeCost(builtInPrices, 'anthropic', 'claude-opus-5-5', usage, { at })!;
    const us = computeCost(builtInPrices, 'anthropic', 'claude-opus-5-5', { ...usage, inferenceGeo: 'us' }, { at })!;
    // $4/M in, $20/M out: 0.004 + 0.002 = $0.006; US-only $0.0066.
    expect(global.usd).toBe(0.006);
    expect(us.usd).toBe(0.0066);
    expect(us.geoMultiplier).toBe(1.1);
    expect(computeCost(builtInPrices, 'anthropic', 'claude-opus-5-5', { ...usage, inferenceGeo: 'global' }, { at })!.usd).toBe(0.006);
    expect(computeCost(builtInPrices, 'anthropic', 'claude-haiku-4-5', { ...usage, inferenceGeo: 'us' }, { at })!.geoMultiplier).toBeUndefined();
  });

  it('GIVEN the vendor reports inference_geo "us" THEN the answer is billed at 1.1× through the SDK, in the footer and the evidence', async () => {
    h = await startHarness({ vendors: { anthropic: () => ({ text: 'forty-two', usage: { input: 1_000, output: 100, inferenceGeo: 'us' } }) } });
    const r = await h.run('/ask --model anthropic:claude-opus-5-5 what is 6x7');
    const id = /evidence (\w{26})/.exec(r.footer!)![1]!;
    const [call] = (await h.hive.evidence.get(id, 'local'))!.calls;
    expect(call!.usage).toMatchObject({ inferenceGeo: 'us' });
    const plain = computeCost(
      builtInPrices,
      'anthropic',
      'claude-opus-5-5',
      { ...call!.usage!, inferenceGeo: undefined },
      { at: new Date(call!.startedAt) },
    )!.usd;
    expect(call!.costUsd).toBe(Math.round(plain * 1.1 * 1e10) / 1e10);
    expect(r.footer).toContain(formatUsd(call!.costUsd!));
  });
});
