import { createRequire } from 'node:module';
import type { SpendDay } from '../../src/jobs/spend-page.ts';
import { CHART_SIZE, spendChartSvg } from './spend-chart.ts';

/** The one font the PNG is drawn with: shipped by the `dejavu-fonts-ttf` package, so no system font is needed. */
const FONT_FAMILY = 'DejaVu Sans';
const FONT_FILE = 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf';
/** Drawn at twice the page's size, so the labels stay sharp on high-density screens. */
const SCALE = 2;

/** The PNG's size in pixels, for tests and for platforms that want it with the upload. */
export const SPEND_PNG_SIZE = { width: CHART_SIZE.width * SCALE, height: CHART_SIZE.height * SCALE } as const;

/**
 * The spend page's chart as a PNG, for chat platforms that show images but not SVG: the same
 * ECharts SVG with its labels in DejaVu Sans, rasterised by resvg with that font file alone.
 */
export async function spendChartPng(days: readonly SpendDay[], vendors: readonly string[]): Promise<Uint8Array> {
  return rasteriseSvg(await spendChartSvg(days, vendors, { fontFamily: FONT_FAMILY }));
}

/**
 * An SVG as a PNG on a white background (chat clients in dark mode would show a transparent
 * chart's black labels on black). resvg is loaded on the first chart, not at start-up, and draws
 * off the event loop; system fonts are never read, so the picture is the same on every machine.
 */
export async function rasteriseSvg(svg: string): Promise<Uint8Array> {
  const { renderAsync } = await import('@resvg/resvg-js');
  const font = createRequire(import.meta.url).resolve(FONT_FILE);
  const image = await renderAsync(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: SCALE },
    font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
  });
  return new Uint8Array(image.asPng());
}
