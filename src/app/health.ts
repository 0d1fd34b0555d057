import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/log.ts';
import { guardConnections } from '../chat/connection-guard.ts';
import { DEFAULT_HTTP_LIMITS, httpServerOptions, type HttpLimits } from '../chat/http-limits.ts';

/** One dependency readiness depends on: the store, the log database, a chat platform's connection. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<boolean> | boolean;
}

export interface HealthServerOptions {
  port: number;
  host?: string;
  checks: () => readonly ReadinessCheck[];
  /** True once shutdown began: not ready, so a load balancer stops sending work while answers finish. */
  draining: () => boolean;
  log: Logger;
  /** Each check's deadline (default 2 s): a hung database is a failed check, not a hung probe. */
  timeoutMs?: number;
  /** Header, body and keep-alive deadlines and the connection cap (default {@link DEFAULT_HTTP_LIMITS}); no request here is ever verified. */
  limits?: HttpLimits;
}

/** A running health server. */
export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * `GET /healthz` (the process answers: liveness) and `GET /readyz` (every dependency answered in
 * time and the process is not draining: readiness), JSON with each check's outcome, for container
 * probes and load balancers. Nothing else is served.
 */
export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const limits = o.limits ?? DEFAULT_HTTP_LIMITS;
  const server = http.createServer(httpServerOptions(limits), (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: 'GET only' });
    if (path === '/healthz') return json(200, { ok: true });
    if (path !== '/readyz') return json(404, { error: 'not found: /healthz or /readyz' });
    void readiness(o).then(
      (r) => json(r.ready ? 200 : 503, r),
      (err: unknown) => {
        o.log.warn({ err }, 'readiness check failed');
        json(503, { ready: false });
      },
    );
  });
  guardConnections(server, limits.maxUnverified, o.log);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`HIVE_HEALTH_PORT ${o.port} is already in use by another process: choose a free port, or unset it to serve no health endpoints.`)
          : err,
      ),
    );
    server.listen(o.port, o.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  o.log.info({ port }, 'health endpoints on /healthz and /readyz');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readiness(o: HealthServerOptions): Promise<{ ready: boolean; draining?: true; checks: Record<string, 'ok' | 'failed'> }> {
  if (o.draining()) return { ready: false, draining: true, checks: {} };
  const list = o.checks();
  const results = await Promise.all(
    list.map((c) =>
      within(
        Promise.resolve().then(() => c.check()),
        o.timeoutMs ?? 2_000,
      ),
    ),
  );
  const checks = Object.fromEntries(list.map((c, i) => [c.name, results[i] ? 'ok' : 'failed'] as const));
  return { ready: results.every(Boolean), checks };
}

/** The check's answer, or false when it throws or takes longer than `ms`. */
async function within(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
