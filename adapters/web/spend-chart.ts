import type { SpendDay } from '../../src/jobs/spend-page.ts';

/** The chart's size in CSS pixels: the page shows it so, the PNG is drawn at a multiple of it. */
export const CHART_SIZE = { width: 720, height: 320 } as const;

/** How a chart is drawn besides its data: the PNG names the one font its rasteriser is given. */
export interface SpendChartStyle {
  /** Every label's font family; the page's default (`sans-serif`) lets the browser choose. */
  fontFamily?: string;
}

/**
 * Loads ECharts ahead of the first spend page (about a second of loading, and 44 MB, on 2 cores):
 * with pages on, the first admin to open the link should not wait for it.
 */
export async function preloadChartLibrary(): Promise<void> {
  await import('echarts');
}

/**
 * Spend by day, stacked by vendor, as SVG drawn here on the server by Apache ECharts (SSR mode):
 * the page needs no script, and ECharts escapes every label it writes (series names, days).
 * Its inline `style` attributes become presentation attributes so the page's CSP, which allows
 * one hashed stylesheet only, still applies the fonts; the chart is disposed so no timer outlives it.
 * ECharts is loaded on the first chart, not at start-up: it takes half a second to load.
 */
export async function spendChartSvg(days: readonly SpendDay[], vendors: readonly string[], style: SpendChartStyle = {}): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...CHART_SIZE });
  try {
    chart.setOption({
      animation: false,
      // A named font gets more room between legend entries: ECharts measures text by an estimate, and DejaVu runs wider.
      ...(style.fontFamily ? { textStyle: { fontFamily: style.fontFamily } } : {}),
      legend: { bottom: 0, ...(style.fontFamily ? { itemGap: 24 } : {}) },
      grid: { left: 70, right: 20, top: 20, bottom: 60 },
      xAxis: { type: 'category', data: days.map((d) => d.day) },
      yAxis: { type: 'value', axisLabel: { formatter: '${value}' } },
      series: vendors.map((v) => ({ name: v, type: 'bar', stack: 'usd', data: days.map((d) => Number((d.byVendor[v] ?? 0).toFixed(6))) })),
    });
    return presentationAttributes(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** `style="font-size:12px;font-family:sans-serif;"` → `font-size="12px" font-family="sans-serif"`. */
function presentationAttributes(svg: string): string {
  return svg.replace(/ style="([^"]*)"/g, (_, css: string) =>
    css
      .split(';')
      .map((decl) => /^\s*([a-z-]+)\s*:\s*([^"<>&]*?)\s*$/.exec(decl))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ` ${m[1]}="${m[2]}"`)
      .join(''),
  );
}
