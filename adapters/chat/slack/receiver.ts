import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { guardConnections } from '../../../src/chat/connection-guard.ts';
import type { HttpPages } from '../../../src/chat/http-pages.ts';
import { httpServerOptions, type HttpLimits } from '../../../src/chat/http-limits.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { AtomicOps } from '../../../src/store/atomic.ts';
import { createEventsRoute } from './events-route.ts';

/** Where Slack POSTs commands, events and interactivity. */
export const EVENTS_PATH = '/slack/events';

/** A handler for one method and path, e.g. `GET /healthz`. */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HiveReceiverOptions {
  signingSecret: string;
  port: number;
  /** Interface to listen on (default: all). */
  host?: string | undefined;
  /** Header, body and keep-alive deadlines, and the cap on connections with no verified request yet. */
  limits: HttpLimits;
  log: Logger;
  /** Where replayed requests are claimed (the store's atomic operations). */
  atomic: Pick<AtomicOps, 'claim'>;
  /** The other routes this port answers, keyed `METHOD /path` (health, the OAuth install pages). */
  routes?: Record<string, RouteHandler>;
  /** Hive's web pages (evidence), answered beside Slack's routes when `HIVE_PUBLIC_URL` turns them on. */
  pages?: HttpPages | undefined;
  /** Body size limit in bytes (default: SLACK_BODY_LIMIT_BYTES). */
  bodyLimit?: number;
  /** Wall clock for signature stamps and the ack timer (default: the system clock). */
  clock?: Clock;
}

/** Bolt's receiver over Hive's one HTTP port; `start` resolves with the port bound (the real one for port 0). */
export interface HiveReceiver extends Receiver {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
}

/**
 * Hive's Bolt receiver: one HTTP server for `/slack/events` and the few other routes Hive serves,
 * with deadlines on every request and a cap on connections that have not delivered a verified
 * request. Verified requests go to Bolt through `app.processEvent`; the rest is answered here.
 */
export function createHiveReceiver(o: HiveReceiverOptions): HiveReceiver {
  let app: App | undefined;
  let server: Server | undefined;
  const processEvent = (event: ReceiverEvent): Promise<void> => {
    if (!app) return Promise.reject(new Error('Slack receiver used before Bolt initialised it'));
    return app.processEvent(event);
  };
  return {
    init(a: App) {
      app = a;
    },
    async start() {
      if (server) throw new Error('Slack receiver already started');
      server = await listen(o, processEvent);
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      const s = server;
      server = undefined;
      if (s) await closeServer(s);
    },
  };
}

async function listen(o: HiveReceiverOptions, processEvent: (event: ReceiverEvent) => Promise<void>): Promise<Server> {
  const server = createServer(httpServerOptions(o.limits));
  const guard = guardConnections(server, o.limits.maxUnverified, o.log);
  const events = createEventsRoute({ ...o, clock: o.clock ?? systemClock, processEvent, onVerified: (req) => guard.trust(req.socket) });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => route(events, o, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: o.port, ...(o.host ? { host: o.host } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

function route(events: RouteHandler, o: HiveReceiverOptions, req: IncomingMessage, res: ServerResponse): void {
  const { log } = o;
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  if (path === EVENTS_PATH && method === 'POST') return events(req, res);
  if (o.pages?.owns(path)) return o.pages.serve(req, res);
  const handler = o.routes?.[`${method} ${trimSlash(path)}`];
  if (!handler) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  try {
    handler(req, res);
  } catch (err) {
    log.error({ err, path }, 'HTTP route failed');
    if (!res.headersSent) res.writeHead(500).end();
  }
}

/** `/healthz/` is `/healthz`, as Bolt's custom routes matched it; `/` stays `/`. */
function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** Stops accepting connections and closes idle keep-alive ones; requests in flight finish. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
