import type { IncomingMessage, ServerResponse } from 'node:http';
import { PAGE_HEADERS } from './page-style.ts';

/** Sends a whole page with the headers every page carries (CSP, noindex, nosniff); HEAD gets no body. */
export function sendPage(req: IncomingMessage, res: ServerResponse, status: number, html: string, extra: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const body = Buffer.from(html, 'utf8');
  res.writeHead(status, { ...PAGE_HEADERS, ...extra, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Streams an export line by line under the pages' headers, as a download of `type` named `filename`. */
export async function sendLines(req: IncomingMessage, res: ServerResponse, type: string, filename: string, lines: AsyncIterable<string>): Promise<void> {
  res.writeHead(200, { ...PAGE_HEADERS, 'content-type': type, 'content-disposition': `attachment; filename="${filename}"` });
  if (req.method === 'HEAD') return void res.end();
  for await (const line of lines) {
    if (!res.write(`${line}\n`)) await new Promise<void>((resolve) => res.once('drain', resolve));
  }
  res.end();
}
