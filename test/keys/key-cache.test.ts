import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { loadConfig } from '../../src/app/config.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import { createManualClock } from '../../src/shared/clock.ts';
import { KEY_CACHE_TTL_MS } from '../../src/keys/vault.ts';
import { SETTINGS_CACHE_TTL_MS } from '../../src/settings/settings.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { assertNoCanary, assertNoCanaryInDir } from '../helpers/hive-harness.ts';

const FIRST = 'sk-canary-CACHE-first-0123456789abcd';
const SECOND = 'sk-canary-CACHE-second-0123456789abc';
const origin = { workspaceId: 'local', channelId: 'C1', userId: 'U1', platform: 'test', command: 'ask' };
const route = { model: { vendor: 'openai' as const, model: 'gpt-6-luna' } };

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

/** A bot on a SQLite store with a fake clock, and an operator CLI that opens the same data folder as another Hive. */
async function setup() {
  const vendor: FakeVendor = await startFakeVendor({ vendor: 'openai' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-key-cache-'));
  const env = {
    HIVE_DATA_DIR: dataDir,
    HIVE_STORE_URL: `sqlite://${path.join(dataDir, 'hive.sqlite')}`,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    OPENAI_BASE_URL: vendor.url,
    LOG_LEVEL: 'warn',
  };
  const clock = createManualClock(Date.parse('2026-11-24T12:00:00Z'));
  const logs: string[] = [];
  const hive: Hive = await createHive(loadConfig(env), { clock, logSink: { write: (l) => void logs.push(l) } });
  cleanup.push(async () => {
    await hive.close();
    assertNoCanary(logs.join('\n'), 'logs');
    assertNoCanaryInDir(dataDir);
    await vendor.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const cli = async (args: string[], secret = '') => {
    let out = '';
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const stdin = Readable.from([Buffer.from(`${secret}\n`)]) as unknown as NodeJS.ReadStream;
    const code = await runCli(args, env, { stdin, stdout: sink, stderr: sink });
    expect(code, out).toBe(0);
  };
  const keyUsed = async () => {
    try {
      await hive.ctx.runner.ask({ origin, question: 'What is 6 times 7?', route });
    } catch (e) {
      return `refused: ${(e as Error).message.slice(0, 40)}`;
    }
    return vendor.requests.at(-1)!.apiKey === FIRST ? 'first' : vendor.requests.at(-1)!.apiKey === SECOND ? 'second' : 'other';
  };
  return { hive, clock, cli, keyUsed, vendor };
}

describe('workspace keys and settings cached in memory', () => {
  it('GIVEN the operator CLI sets a key in another process THEN the running bot uses it within the cache bound, and not a store read per job before', async () => {
    const { clock, cli, keyUsed } = await setup();
    expect(await keyUsed()).toMatch(/^refused/); // no key yet; the empty key list is now cached
    await cli(['keys', 'set', '--workspace', 'local', '--vendor', 'openai', '--no-verify'], FIRST);
    expect(await keyUsed()).toMatch(/^refused/); // served from memory: no store read per job
    await clock.advance(KEY_CACHE_TTL_MS);
    expect(await keyUsed()).toBe('first');
    await cli(['keys', 'set', '--workspace', 'local', '--vendor', 'openai', '--no-verify'], SECOND);
    await clock.advance(KEY_CACHE_TTL_MS - 1);
    expect(await keyUsed()).toBe('first');
    await clock.advance(1);
    expect(await keyUsed()).toBe('second');
    await cli(['keys', 'remove', '--workspace', 'local', '--vendor', 'openai']);
    await clock.advance(KEY_CACHE_TTL_MS);
    expect(await keyUsed()).toMatch(/^refused/);
  });

  it('GIVEN a key added, rotated or removed through the bot itself THEN the next job sees it at once', async () => {
    const { hive, keyUsed } = await setup();
    expect(await keyUsed()).toMatch(/^refused/);
    await hive.keys.register('local', 'openai', FIRST, { verify: false });
    expect(await keyUsed()).toBe('first');
    await hive.keys.register('local', 'openai', SECOND, { verify: false });
    expect(await keyUsed()).toBe('second');
    await hive.keys.remove('local', 'openai');
    expect(await keyUsed()).toMatch(/^refused/);
  });

  it('GIVEN a key marked unhealthy after a rejection THEN the next job no longer uses it', async () => {
    const { hive, keyUsed } = await setup();
    await hive.keys.register('local', 'openai', FIRST, { verify: false });
    expect(await keyUsed()).toBe('first');
    const { VendorError } = await import('../../src/shared/errors.ts');
    await hive.keys.reportFailure('local', 'openai', new VendorError({ vendor: 'openai', kind: 'auth', message: 'invalid key' }));
    expect(await keyUsed()).toMatch(/^refused/);
  });

  it('GIVEN settings changed by another process THEN the bot reads them again after the bound; its own changes apply at once', async () => {
    const { hive, clock } = await setup();
    await hive.ctx.settings.update('local', (s) => void (s.defaultLane = 'deep'));
    expect((await hive.ctx.settings.get('local')).defaultLane).toBe('deep');
    // Another process writes the same row of the shared keyed store.
    await hive.store.ns<{ defaultLane?: string }>('settings').set('local', { defaultLane: 'cheap' });
    expect((await hive.ctx.settings.get('local')).defaultLane).toBe('deep');
    await clock.advance(SETTINGS_CACHE_TTL_MS);
    expect((await hive.ctx.settings.get('local')).defaultLane).toBe('cheap');
    expect((await hive.ctx.settings.lanes('local')).cheap.length).toBeGreaterThan(0);
  });
});
