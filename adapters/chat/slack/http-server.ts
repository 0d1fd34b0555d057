import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HTTPReceiver } from '@slack/bolt';

/** Where POST /slack/events goes; everything else (health, OAuth install) goes to Bolt's receiver. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Our own HTTP server: /slack/events through the fast-ack endpoint, the rest through Bolt's receiver. */
export async function listenHttp(receiver: HTTPReceiver, events: RequestHandler, port: number, host: string | undefined): Promise<Server> {
  const server = createServer((req, res) => route(receiver, events, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, ...(host ? { host } : {}) }, () => {
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
