import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type ReadinessCheck } from '../../src/app/health.ts';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import type { HttpLimits } from '../../src/chat/http-limits.ts';
import { closeAll, openClients, type RawClient } from '../helpers/raw-sockets.ts';
import { until } from '../helpers/until.ts';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const log = createLogger({ level: 'silent', secrets: createSecretRegistry(), fd: 2, pretty: false });

async function start(checks: ReadinessCheck[], state = { draining: false }, limits?: HttpLimits) {
  server = await startHealthServer({
    port: 0,
    host: '127.0.0.1',
    checks: () => checks,
    draining: () => state.draining,
    log,
    timeoutMs: 100,
    ...(limits ? { limits } : {}),
  });
  const url = (p: string) => `http://127.0.0.1:${server!.port}${p}`;
  return {
    get: async (p: string, init?: RequestInit) => {
      const r = await fetch(url(p), init);
      return { status: r.status, body: (await r.json()) as unknown };
    },
  };
}

describe('health endpoints', () => {
  it('GIVEN every dependency answering THEN /healthz and /readyz are 200, /readyz naming each check', async () => {
    const h = await start([
      { name: 'store', check: () => true },
      { name: 'logs', check: async () => true },
    ]);
    expect(await h.get('/healthz')).toEqual({ status: 200, body: { ok: true } });
    expect(await h.get('/readyz')).toEqual({ status: 200, body: { ready: true, checks: { store: 'ok', logs: 'ok' } } });
  });

  it('GIVEN a check that fails, throws or hangs THEN /readyz is 503 naming it, within the deadline, and /healthz stays 200', async () => {
    const h = await start([
      { name: 'store', check: () => true },
      { name: 'logs', check: () => new Promise<boolean>(() => undefined) },
      { name: 'discord', check: () => false },
      {
        name: 'slack',
        check: () => {
          throw new Error('down');
        },
      },
    ]);
    expect(await h.get('/readyz')).toEqual({
      status: 503,
      body: { ready: false, checks: { store: 'ok', logs: 'failed', discord: 'failed', slack: 'failed' } },
    });
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('GIVEN shutdown under way THEN /readyz is 503 draining, so a load balancer stops sending work; other methods and paths are refused', async () => {
    const state = { draining: false };
    const h = await start([{ name: 'store', check: () => true }], state);
    state.draining = true;
    expect(await h.get('/readyz')).toEqual({ status: 503, body: { ready: false, draining: true, checks: {} } });
    expect((await h.get('/readyz', { method: 'POST' })).status).toBe(405);
    expect((await h.get('/metrics')).status).toBe(404);
  });
});

describe('connections to the health server', () => {
  const clients: RawClient[] = [];
  afterEach(() => closeAll(clients.splice(0)));
  const open = async (n: number, then?: Parameters<typeof openClients>[2]) => {
    const opened = await openClients(server!.port, n, then);
    clients.push(...opened);
    return opened;
  };
  const closed = (list: readonly RawClient[]) => list.filter((c) => c.closed()).length;

  it('GIVEN silent and slow-header connections THEN the header deadline closes them all', async () => {
    await start([], undefined, { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxUnverified: 100_000 });
    const silent = await open(100);
    const slow = await open(50, (s) => {
      s.write('GET /healthz HTTP/1.1\r\n');
      const timer = setInterval(() => (s.writable ? s.write('x-pad: 1\r\n') : clearInterval(timer)), 100);
      s.once('close', () => clearInterval(timer));
    });
    await until('all closed', () => closed([...silent, ...slow]) === 150);
  });

  it('GIVEN more silent connections than the cap THEN the oldest are closed at once and /healthz still answers', async () => {
    const h = await start([], undefined, { headersTimeoutMs: 120_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 5_000, maxUnverified: 10 });
    const silent = await open(30);
    await until('the 20 oldest closed', () => silent.slice(0, 20).every((c) => c.closed()));
    expect(closed(silent.slice(20))).toBe(0);
    expect((await h.get('/healthz')).status).toBe(200);
  });
});

describe('HIVE_HEALTH_PORT', () => {
  it('GIVEN the port is taken THEN start-up says which variable and what to do', async () => {
    await start([]);
    const taken = server!.port;
    const second = startHealthServer({ port: taken, host: '127.0.0.1', checks: () => [], draining: () => false, log });
    await expect(second).rejects.toThrow(`HIVE_HEALTH_PORT ${taken} is already in use by another process: choose a free port, or unset it`);
  });

  it('GIVEN a port THEN it is the health port; unset, none; a bad value is refused naming the variable', async () => {
    const { loadConfig } = await import('../../src/app/config.ts');
    expect(loadConfig({ HIVE_STORE_URL: 'memory://', HIVE_HEALTH_PORT: '8081' }).healthPort).toBe(8081);
    expect(loadConfig({ HIVE_STORE_URL: 'memory://' }).healthPort).toBeUndefined();
    expect(loadConfig({ HIVE_STORE_URL: 'memory://', HIVE_HEALTH_PORT: '' }).healthPort).toBeUndefined();
    expect(() => loadConfig({ HIVE_STORE_URL: 'memory://', HIVE_HEALTH_PORT: 'eighty' })).toThrow(/HIVE_HEALTH_PORT: must be a port number/);
  });
});
