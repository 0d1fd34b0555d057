import type { SpendDay } from '../../src/jobs/spend-page.ts';

const WIDTH = 720;
const HEIGHT = 320;

/**
 * Spend by day, stacked by vendor, as SVG drawn here on the server by Apache ECharts (SSR mode):
 * the page needs no script, and ECharts escapes every label it writes (series names, days).
 * Its inline `style` attributes become presentation attributes so the page's CSP, which allows
 * one hashed stylesheet only, still applies the fonts; the chart is disposed so no timer outlives it.
 * ECharts is loaded on the first chart, not at start-up: it takes half a second to load.
 */
export async function spendChartSvg(days: readonly SpendDay[], vendors: readonly string[]): Promise<string> {
  const echarts = await import('echarts');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height: HEIGHT });
  try {
    chart.setOption({
      animation: false,
      legend: { bottom: 0 },
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
