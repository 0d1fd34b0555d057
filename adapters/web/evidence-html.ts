import type { EvidencePageModel, PageSection, PageTable } from '../../src/jobs/page-model.ts';
import { escapeHtml as esc } from './html-escape.ts';
import { PAGE_CSS } from './page-style.ts';

/** A whole page around `body`: no script, the one hashed stylesheet, sized for phones. */
export function htmlDocument(title: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow"><meta name="referrer" content="no-referrer">',
    `<title>${esc(title)}</title><style>${PAGE_CSS}</style></head>`,
    `<body><main>${body}</main></body></html>`,
  ].join('\n');
}

/** The evidence page as HTML; every value from the model is escaped here, once, by one function. */
export function renderEvidenceHtml(page: EvidencePageModel): string {
  const body = [`<h1>${esc(page.title)}</h1>`, facts(page.summary), ...page.sections.map(renderSection)].join('\n');
  return htmlDocument(page.title, body);
}

/** One section of a page (facts, notes, texts, tables), every value escaped; the spend page uses it too. */
export function renderSection(s: PageSection): string {
  return [
    '<section>',
    `<h2>${esc(s.heading)}</h2>`,
    ...(s.facts ? [facts(s.facts)] : []),
    ...(s.notes ?? []).map((n) => `<p>${esc(n)}</p>`),
    ...(s.texts ?? []).map((t) => `<h3>${esc(t.label)}</h3>\n<pre>${esc(t.text)}</pre>`),
    ...(s.tables ?? []).map(table),
    '</section>',
  ].join('\n');
}

/** Facts as a definition list. */
export function facts(rows: readonly [string, string][]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

function table(t: PageTable): string {
  const head = `<thead><tr>${t.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`;
  const rows = t.rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`);
  return `<div class="scroll"><table><caption>${esc(t.caption)}</caption>${head}<tbody>${rows.join('')}</tbody></table></div>`;
}
