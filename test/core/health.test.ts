import { afterEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthServer, type ReadinessCheck } from '../../src/app/health.ts';
import { createLogger } from '../../src/log.ts';
import { createSecretRegistry } from '../../src/keys/secrets.ts';

let server: HealthServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const log = createLogger({ level: 'silent', secrets: createSecretRegistry(), fd: 2, pretty: false });

async function start(checks: ReadinessCheck[], state = { draining: false }) {
  server = await startHealthServer({ port: 0, host: '127.0.0.1', checks: () => checks, draining: () => state.draining, log, timeoutMs: 100 });
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
