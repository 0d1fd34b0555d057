import type { SpendPageModel } from '../../src/jobs/spend-page.ts';
import { facts, htmlDocument, renderSection } from './evidence-html.ts';
import { escapeHtml as esc } from './html-escape.ts';
import { spendChartSvg } from './spend-chart.ts';

/** The signed query of the link that opened the page: every link on it (periods, exports) carries it on. */
export interface SpendLinkQuery {
  w: string;
  e: string;
  s: string;
  period: string;
}

/** Where the page's links go: the same signature, another period or an export of this one. */
export function spendHref(path: string, q: SpendLinkQuery, period = q.period): string {
  const query = new URLSearchParams({ w: q.w, e: q.e, s: q.s, ...(period ? { period } : {}) });
  return `${path}?${query.toString()}`;
}

/**
 * The spend page as HTML: the chart (server-drawn SVG, no script) over the same numbers as
 * tables, then the exports; every value from the ledger (models, user and channel ids) is escaped.
 */
export async function renderSpendHtml(page: SpendPageModel, q: SpendLinkQuery): Promise<string> {
  const periods = ['day', 'week', 'month'].map((p) => `<a href="${esc(spendHref('/spend', q, p))}">${p}</a>`).join(' · ');
  // ECharts' SSR adds a <style> (a hover rule) that the page's CSP refuses: it is dropped, not left to fail.
  const chart = page.days.length
    ? `<figure>${(await spendChartSvg(page.days, page.vendors)).replace(/<style\b[\s\S]*?<\/style>/g, '')}<figcaption>Spend by day, stacked by vendor (the table below has the figures).</figcaption></figure>`
    : '';
  const exports = [
    `<li><a href="${esc(spendHref('/spend/usage.csv', q))}">Calls as CSV</a> (as <code>hive usage --csv</code>)</li>`,
    `<li><a href="${esc(spendHref('/spend/evidence.jsonl', q))}">Evidence as JSON lines</a> (as <code>hive evidence export</code>, since the period's first day)</li>`,
  ].join('');
  const body = [
    `<h1>${esc(page.title)}</h1>`,
    `<p>Period: ${periods}</p>`,
    facts(page.summary),
    chart,
    ...page.sections.map(renderSection),
    `<section><h2>Export</h2><ul>${exports}</ul></section>`,
  ].join('\n');
  return htmlDocument(page.title, body);
}
