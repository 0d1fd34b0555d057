import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SpendSources } from '../../src/jobs/spend-page.ts';
import type { LinkSigner } from '../../src/keys/link-signer.ts';
import { UserError } from '../../src/shared/errors.ts';
import { htmlDocument } from './evidence-html.ts';
import { escapeHtml as esc } from './html-escape.ts';
import { sendLines, sendPage } from './page-send.ts';
import { renderSpendHtml } from './spend-html.ts';

export type { SpendSources } from '../../src/jobs/spend-page.ts';

/** The spend page's paths: the page, and its two exports, all opened by the one `spend` signature. */
export const SPEND_PATHS: readonly string[] = ['/spend', '/spend/usage.csv', '/spend/evidence.jsonl'];

/** Answers a spend path whose link checked out; `refuse` sends the one refusal every bad link gets. */
export async function serveSpend(
  o: { signer: Pick<LinkSigner, 'check'>; spend?: SpendSources | undefined },
  path: string,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  refuse: () => void,
): Promise<void> {
  const grant = o.spend ? o.signer.check('spend', query) : undefined;
  if (!grant || !o.spend) return refuse();
  const period = (query.get('period') ?? '').slice(0, 40);
  const ws = grant.workspaceId;
  try {
    if (path === '/spend/usage.csv') return await sendLines(req, res, 'text/csv; charset=utf-8', 'usage.csv', await first(o.spend.csv(ws, period)));
    if (path === '/spend/evidence.jsonl')
      return await sendLines(req, res, 'application/x-ndjson; charset=utf-8', 'evidence.jsonl', await first(o.spend.evidence(ws, period)));
    const page = await o.spend.page(ws, period);
    sendPage(req, res, 200, await renderSpendHtml(page, { w: ws, e: query.get('e') ?? '', s: query.get('s') ?? '', period }));
  } catch (e) {
    if (!(e instanceof UserError) || res.headersSent) throw e;
    sendPage(req, res, 400, htmlDocument('Not a period', `<h1>Not a period</h1>\n<p>${esc(e.message)}</p>`));
  }
}

/**
 * Pulls an export's first line before any header is sent, so a bad period still gets its 400 page;
 * then yields that line and the rest.
 */
async function first(lines: AsyncIterable<string>): Promise<AsyncIterable<string>> {
  const it = lines[Symbol.asyncIterator]();
  const head = await it.next();
  return (async function* () {
    if (head.done) return;
    yield head.value;
    for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
  })();
}
