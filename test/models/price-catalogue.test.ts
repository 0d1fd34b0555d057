import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPriceCatalogue } from '../../src/models/price-catalogue.ts';
import { MODELS, PRICE_TABLE_VERSION, type ModelInfo } from '../../src/models/prices.ts';
import { computeCost } from '../../src/money/cost.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

const at = new Date('2026-12-07T12:00:00Z');
const usage = { ...ZERO_USAGE, inputTokens: 1_000, outputTokens: 500 };
const price = { input: 10, output: 40, checked: '2026-12-01', source: 'https://example.test/pricing' };
/** The built-in table with gpt-6-luna at $10/$40 per 1M tokens. */
const dearer: ModelInfo[] = MODELS.map((m) => (m.vendor === 'openai' && m.id === 'gpt-6-luna' ? { ...m, prices: [price] } : m));

describe('a price catalogue is a value, not module state', () => {
  it('GIVEN two catalogues in one process THEN each prices a call and names its table by its own prices', () => {
    const builtIn = createPriceCatalogue();
    const operator = createPriceCatalogue(dearer);
    expect(computeCost(operator, 'openai', 'gpt-6-luna', usage, { at })!.usd).toBe((1_000 * 10 + 500 * 40) / 1e6);
    expect(computeCost(builtIn, 'openai', 'gpt-6-luna', usage, { at })!.usd).not.toBe((1_000 * 10 + 500 * 40) / 1e6);
    expect(builtIn.version).toBe(PRICE_TABLE_VERSION);
    expect(operator.version).toMatch(/\+table:[0-9a-f]{12}$/);
    // Building the second left the first as it was.
    expect(createPriceCatalogue().find('openai', 'gpt-6-luna')).toBe(builtIn.find('openai', 'gpt-6-luna'));
  });

  it('GIVEN two entries claiming one name THEN the catalogue is refused', () => {
    const twin = { ...MODELS[0]!, id: 'twin', aliases: [MODELS[0]!.id] };
    expect(() => createPriceCatalogue([MODELS[0]!, twin])).toThrow(/is claimed by/);
  });
});

describe('two Hives in one process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-two-tables-'));
  const prices = path.join(dir, 'prices.json');
  fs.writeFileSync(prices, JSON.stringify({ models: [{ vendor: 'openai', id: 'gpt-6-luna', prices: [price] }] }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const answer = () => ({ text: 'ok', usage: { input: 1_000, output: 500 } });

  it('GIVEN one with an operator price file and one without THEN the same call costs each its own price', async () => {
    const hives: Harness[] = [];
    try {
      // Both are built before either answers: the second must not change the first one's prices.
      hives.push(await startHarness({ vendors: { openai: answer }, env: { HIVE_PRICES_FILE: prices } }));
      hives.push(await startHarness({ vendors: { openai: answer } }));
      const [operator, plain] = await Promise.all(hives.map((h) => h.run('/ask --model openai:gpt-6-luna hello')));
      const record = async (h: Harness, footer: string | undefined) => (await h.hive.evidence.get(/evidence (\w{26})/.exec(footer!)![1]!, 'local'))!;
      const dear = await record(hives[0]!, operator!.footer);
      const cheap = await record(hives[1]!, plain!.footer);
      expect(dear.calls[0]!.costUsd).toBe((1_000 * 10 + 500 * 40) / 1e6);
      expect(cheap.calls[0]!.costUsd).toBeLessThan(dear.calls[0]!.costUsd!);
      expect(dear.priceTableVersion).toMatch(/\+table:[0-9a-f]{12}$/);
      expect(cheap.priceTableVersion).toBe(PRICE_TABLE_VERSION);
    } finally {
      await Promise.all(hives.map((h) => h.close()));
    }
  });
});
