import { preloadChartLibrary } from './spend-chart.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpPages } from '../../src/chat/http-pages.ts';
import type { EvidencePageModel } from '../../src/jobs/page-model.ts';
import type { LinkSigner } from '../../src/keys/link-signer.ts';
import type { Logger } from '../../src/shared/log.ts';
import { htmlDocument, renderEvidenceHtml } from './evidence-html.ts';
import { createLinkRateLimit } from './link-rate-limit.ts';
import { sendPage as send } from './page-send.ts';
import { SPEND_PATHS, serveSpend, type SpendSources } from './spend-routes.ts';

const EVIDENCE = /^\/evidence\/([^/]+)$/;

/** The one refusal for every link that does not open its page: tampered, expired, another workspace's, unknown. */
const REFUSED = htmlDocument(
  'Link not valid',
  '<h1>This link is not valid</h1>\n<p>It may have expired. Ask Hive for the answer again to get a fresh link.</p>',
);
const TOO_MANY = htmlDocument('Too many requests', '<h1>Too many requests</h1>\n<p>This link was opened too often in the last minute. Try again shortly.</p>');
const NOT_FOUND = htmlDocument('Not found', '<h1>Not found</h1>');

export interface WebPagesOptions {
  signer: Pick<LinkSigner, 'check'>;
  /** One workspace's record as its page; undefined for an unknown id or another workspace's. */
  evidencePage(id: string, workspaceId: string): Promise<EvidencePageModel | undefined>;
  /** The workspace's spend page and its exports; absent, their links are refused like any bad link. */
  spend?: SpendSources;
  now: () => number;
  log: Logger;
}

/** Hive's pages over HTTP: a signed link opens its page, anything else gets one refusal that reveals nothing. */
export function createWebPages(o: WebPagesOptions): HttpPages {
  const limit = createLinkRateLimit({ now: o.now });
  if (o.spend) void preloadChartLibrary().catch((err: unknown) => o.log.warn({ err }, 'could not load the chart library; spend pages will try again'));
  return {
    routes: ['/evidence/:id', ...SPEND_PATHS],
    owns: (path) => EVIDENCE.test(path) || SPEND_PATHS.includes(path),
    serve(req, res) {
      void answer(o, limit.allow.bind(limit), req, res).catch((err: unknown) => {
        o.log.error({ err }, 'page failed');
        send(req, res, 500, htmlDocument('Error', '<h1>Something went wrong</h1>'));
      });
    },
  };
}

async function answer(o: WebPagesOptions, allow: (link: string) => boolean, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(req, res, 405, htmlDocument('Method not allowed', '<h1>GET only</h1>'), { allow: 'GET, HEAD' });
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = EVIDENCE.exec(url.pathname);
  const spend = SPEND_PATHS.includes(url.pathname);
  if (!m && !spend) return send(req, res, 404, NOT_FOUND);
  if (!allow(url.searchParams.get('s') ?? '')) return send(req, res, 429, TOO_MANY, { 'retry-after': '60' });
  if (!m) return serveSpend(o, url.pathname, url.searchParams, req, res, () => send(req, res, 403, REFUSED));
  const id = m[1]!;
  const grant = o.signer.check(`evidence/${id}`, url.searchParams);
  const page = grant ? await o.evidencePage(id, grant.workspaceId) : undefined;
  if (!page) return send(req, res, 403, REFUSED);
  send(req, res, 200, renderEvidenceHtml(page));
}
