import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';
import type { SpendDay } from '../../src/jobs/spend-page.ts';
import { spendChartSvg } from '../../adapters/web/spend-chart.ts';
import { rasteriseSvg, spendChartPng, SPEND_PNG_SIZE } from '../../adapters/web/spend-png.ts';

const DAYS: SpendDay[] = [
  { day: '2026-12-01', byVendor: { openai: 0.5 } },
  { day: '2026-12-02', byVendor: { openai: 0.2, anthropic: 0.3 } },
];
const VENDORS = ['anthropic', 'openai'];
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const withoutText = (svg: string) => svg.replace(/<text\b[^>]*>[^<]*<\/text>/g, '');

describe('the spend chart as PNG', () => {
  it('GIVEN days of spend THEN it is a PNG twice the page chart size', async () => {
    const png = await spendChartPng(DAYS, VENDORS);
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(imageSize(png)).toMatchObject({ type: 'png', ...SPEND_PNG_SIZE });
    expect(SPEND_PNG_SIZE).toEqual({ width: 1440, height: 640 });
  });

  it('GIVEN the chart THEN its labels are drawn in the shipped font (it differs from the chart without them)', async () => {
    const svg = await spendChartSvg(DAYS, VENDORS, { fontFamily: 'DejaVu Sans' });
    expect(svg).toContain('font-family="DejaVu Sans"');
    expect(svg).not.toContain('font-family="sans-serif"');
    const labelled = await rasteriseSvg(svg);
    const bare = await rasteriseSvg(withoutText(svg));
    expect(withoutText(svg)).not.toBe(svg);
    expect(Buffer.from(labelled).equals(Buffer.from(bare))).toBe(false);
    expect(Buffer.from(await spendChartPng(DAYS, VENDORS)).equals(Buffer.from(labelled))).toBe(true);
  });

  it('GIVEN a lone label THEN text pixels exist without any system font', async () => {
    const page = (t: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="10" y="28" font-family="DejaVu Sans" font-size="20">${t}</text></svg>`;
    const [hi, empty] = [await rasteriseSvg(page('$0.42')), await rasteriseSvg(page(''))];
    expect(imageSize(hi)).toMatchObject({ width: 240, height: 80 });
    expect(Buffer.from(hi).equals(Buffer.from(empty))).toBe(false);
  });

  it('GIVEN the page chart THEN it keeps the browser default font', async () => {
    const svg = await spendChartSvg(DAYS, VENDORS);
    expect(svg).toContain('font-family="sans-serif"');
    expect(svg).not.toContain('DejaVu');
  });
});
