import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpPages } from '../../src/chat/http-pages.ts';
import { guardConnections } from '../../src/chat/connection-guard.ts';
import { DEFAULT_HTTP_LIMITS, httpServerOptions, type HttpLimits } from '../../src/chat/http-limits.ts';
import type { Logger } from '../../src/shared/log.ts';

export interface PagesServerOptions {
  port: number;
  host?: string;
  pages: HttpPages;
  /** Header, body and keep-alive deadlines and the connection cap, as on Slack's server (`HIVE_HTTP_*`). */
  limits?: HttpLimits;
  log: Logger;
}

/** A running server for the pages alone. */
export interface PagesServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves the pages on `PORT` when no platform runs an HTTP server there (no Slack): the same
 * deadlines and connection cap as Slack's, and nothing but the pages and `/healthz`.
 */
export async function startPagesServer(o: PagesServerOptions): Promise<PagesServer> {
  const limits = o.limits ?? DEFAULT_HTTP_LIMITS;
  const server = http.createServer(httpServerOptions(limits), (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    if (o.pages.owns(path)) return o.pages.serve(req, res);
    res.writeHead(404, { 'content-type': 'text/plain', 'x-content-type-options': 'nosniff' }).end('Not found');
  });
  guardConnections(server, limits.maxUnverified, o.log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`PORT ${o.port} is already in use by another process: choose a free port for Hive's pages.`) : err),
    );
    server.listen({ port: o.port, ...(o.host ? { host: o.host } : {}) }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  o.log.info({ port }, 'evidence pages served on PORT');
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
