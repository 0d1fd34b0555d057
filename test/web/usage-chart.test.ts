import { imageSize } from 'image-size';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEND_PNG_SIZE, spendChartPng } from '../../adapters/web/spend-png.ts';
import { usageChart } from '../../commands/usage-chart.ts';
import { loadSpendPage } from '../../src/jobs/spend-page.ts';
import type { LedgerRow } from '../../src/money/books.ts';
import type { UsageSummary } from '../../src/money/ledger.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bucket = (calls: number) => ({ usd: calls * 0.01, calls, unpriced: 0, stopped: 0, inputTokens: 10, outputTokens: 5 });
const summary = (from: string, to: string, calls: number) => ({ from, to, total: bucket(calls) }) as UsageSummary;

function row(at: string, vendor: string, costNano: number): LedgerRow {
  const zero = { input_tokens: 100, output_tokens: 50, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  return {
    at: Date.parse(at),
    workspace_id: 'local',
    channel_id: 'C1',
    user_id: 'U1',
    vendor,
    model: `${vendor}-model`,
    ...zero,
    cost_nano: costNano,
    evidence_id: 'E',
    estimated: 0,
  };
}

describe('/hive usage carries the spend chart', () => {
  it('GIVEN a period with calls THEN an image drawn on demand for that workspace and period', async () => {
    const drawn: unknown[] = [];
    const ctx = { spendChart: async (ws: string, p: { from: string; to: string }) => (drawn.push([ws, p]), new Uint8Array([1])) };
    const image = usageChart(ctx, 'slack:T1', summary('2026-11-01', '2026-11-30', 3))!;
    expect(image).toMatchObject({ name: 'spend-2026-11-01-2026-11-30.png', alt: 'Spend by day 2026-11-01 → 2026-11-30 (UTC), stacked by vendor' });
    expect(drawn).toEqual([]);
    expect(await image.png()).toEqual(new Uint8Array([1]));
    expect(drawn).toEqual([['slack:T1', { from: '2026-11-01', to: '2026-11-30' }]]);
  });

  it('GIVEN no calls, a period the page does not chart by day, or no chart service THEN no image', () => {
    const ctx = { spendChart: async () => new Uint8Array() };
    expect(usageChart(ctx, 'local', summary('2026-11-01', '2026-11-30', 0))).toBeUndefined();
    expect(usageChart(ctx, 'local', summary('2025-01-01', '2026-01-01', 1))).toBeDefined();
    expect(usageChart(ctx, 'local', summary('2025-01-01', '2026-01-02', 1))).toBeUndefined();
    expect(usageChart({}, 'local', summary('2026-11-01', '2026-11-30', 1))).toBeUndefined();
  });

  it('GIVEN spend THEN the reply image is the spend page chart of the same period', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { openai: () => ({ text: 'ok', usage: { input: 1, output: 1 } }) } });
    for (const [at, vendor, nano] of [
      ['2026-11-02T10:00:00Z', 'openai', 3_000_000],
      ['2026-11-03T10:00:00Z', 'anthropic', 7_000_000],
    ] as const)
      await h.hive.books.settle({ keys: [], costNano: nano, row: row(at, vendor, nano) });
    const reply = await h.run('/hive usage 2026-11');
    expect(reply.text).toContain('2 calls');
    const png = await reply.image!.png();
    expect(imageSize(png)).toMatchObject({ type: 'png', ...SPEND_PNG_SIZE });
    const { ledger, books, settings } = h.hive.ctx;
    const page = await loadSpendPage({ ledger, books, settings }, 'local', { from: '2026-11-01', to: '2026-11-30' }, new Date());
    expect(Buffer.from(png).equals(Buffer.from(await spendChartPng(page.days, page.vendors)))).toBe(true);
    expect((await h.run('/hive usage 2026-10')).image).toBeUndefined();
  });
});
