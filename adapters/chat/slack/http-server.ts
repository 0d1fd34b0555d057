import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';
import { guardConnections } from '../../../src/chat/connection-guard.ts';
import { httpServerOptions, type HttpLimits } from '../../../src/chat/http-limits.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Where POST /slack/events goes; everything else (health, OAuth install) goes to Bolt's receiver. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Where and how the server listens. */
export interface ListenOptions {
  port: number;
  host: string | undefined;
  /** Header, body and keep-alive deadlines, and the cap on connections with no verified request yet. */
  limits: HttpLimits;
  log: Logger;
}

/**
 * Our own HTTP server: /slack/events through the fast-ack endpoint, the rest through Bolt's
 * receiver, with deadlines on every request and a cap on connections that have not delivered a
 * verified request. `events` is built with `trust`, to call once a request's signature checked out.
 */
export async function listenHttp(receiver: HTTPReceiver, events: (trust: (req: IncomingMessage) => void) => RequestHandler, o: ListenOptions): Promise<Server> {
  const server = createServer(httpServerOptions(o.limits));
  const guard = guardConnections(server, o.limits.maxUnverified, o.log);
  const handle = events((req) => guard.trust(req.socket));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => route(receiver, handle, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port, ...(o.host ? { host: o.host } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function route(receiver: HTTPReceiver, events: RequestHandler, req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/slack/events' && req.method === 'POST') return events(req, res);
  try {
    receiver.requestListener(req, res);
  } catch {
    if (!res.headersSent) res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }
}

/** Stops accepting connections and closes idle keep-alive ones; requests in flight finish. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
