import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../adapters/store/open-store.ts';
import { maskUrl } from '../../adapters/store/redis/redis-connect.ts';
import { checkQueue } from '../../adapters/queue/queue-check.ts';

/** A port that accepts connections and never answers: a Redis behind a black-holing firewall or a hung server. */
let silent: net.Server;
let silentPort = 0;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  silent = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  sockets.forEach((s) => s.destroy());
  await new Promise<void>((r) => silent.close(() => r()));
});

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('store connections have a start-up deadline', () => {
  it('GIVEN a Redis URL where nothing listens THEN createStore fails at once with the URL and the reason', async () => {
    const port = await closedPort();
    const err = await createStore(`redis://127.0.0.1:${port}`, { connectDeadlineMs: 3000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(new RegExp(`Could not connect to the store at redis://127\\.0\\.0\\.1:${port}/? \\(HIVE_STORE_URL\\): .*ECONNREFUSED`));
  });

  it('GIVEN a Redis that accepts but never answers THEN createStore gives up at the deadline, naming it, with the password masked', async () => {
    const err = await createStore(`redis://hive:s3cret-pass@127.0.0.1:${silentPort}`, { connectDeadlineMs: 300 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /Could not connect to the store at redis:\/\/hive:\*\*\*@127\.0\.0\.1:\d+\/? \(HIVE_STORE_URL\): .*(timeout|within 0 s|no answer)/i,
    );
    expect(err?.message).not.toContain('s3cret-pass');
  });

  it('masks passwords and bare tokens in URLs', () => {
    expect(maskUrl('redis://u:p@h:1')).toBe('redis://u:***@h:1');
    expect(maskUrl('rediss://tok@h:1/0')).toBe('rediss://***@h:1/0');
    expect(maskUrl('redis://h:1')).toBe('redis://h:1');
  });
});

describe('the queue check at start-up has a deadline', () => {
  const failure = (p: Promise<void>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as Error,
    );

  it('GIVEN HIVE_QUEUE_URL where nothing listens THEN the check fails with the masked URL and the socket reason', async () => {
    const port = await closedPort();
    const err = await failure(checkQueue(`redis://:pw-queue@127.0.0.1:${port}`, 3000));
    expect(err?.message).toMatch(new RegExp(`HIVE_QUEUE_URL redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}/? did not answer \\(.*ECONNREFUSED`));
    expect(err?.message).not.toContain('pw-queue');
  });

  it('GIVEN a host that accepts the connection and never answers THEN the check gives up at its deadline instead of hanging', async () => {
    const err = await failure(checkQueue(`redis://:pw-queue@127.0.0.1:${silentPort}`, 300));
    expect(err?.message).toMatch(/HIVE_QUEUE_URL redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/? did not answer \(.*(no answer|timed? ?out)/i);
    expect(err?.message).not.toContain('pw-queue');
  });
});
