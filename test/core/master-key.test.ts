import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { createHive } from '../../src/app/hive.ts';
import { forgetSealedSecrets } from '../../src/keys/master-key.ts';
import { createStore } from '../../adapters/store/open-store.ts';
import { keyAad } from '../../src/keys/vault.ts';
import { seal } from '../../src/keys/crypto.ts';
import { CANARY } from '../helpers/hive-harness.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const quiet = { logSink: { write: () => undefined } };
function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-mk-'));
  dirs.push(d);
  return d;
}
const b64 = () => randomBytes(32).toString('base64');
const open = (dir: string, masterKey?: string) =>
  createHive(loadConfig({ HIVE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...(masterKey ? { HIVE_MASTER_KEY: masterKey } : {}) }), quiet);

async function storeKey(dir: string, masterKey?: string): Promise<void> {
  const hive = await open(dir, masterKey);
  await hive.keys.register('slack:T1', 'openai', CANARY.openai, { verify: false });
  await hive.close();
}

describe('master key checked against the sealed data at start', () => {
  it('GIVEN keys sealed with one HIVE_MASTER_KEY WHEN Hive starts with another THEN start-up stops and says how to recover', async () => {
    const dir = dataDir();
    await storeKey(dir, b64());
    const err = await open(dir, b64()).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /master key from HIVE_MASTER_KEY \(fingerprint [0-9a-f]{12}\) is not the one the stored secrets were sealed with \(fingerprint [0-9a-f]{12}\)/,
    );
    expect(err?.message).toMatch(/Restore the original key[\s\S]*npm run hive -- master-key reset --yes/);
  });

  it('GIVEN sealed data and no master key anywhere THEN start-up stops instead of generating a fresh key', async () => {
    const dir = dataDir();
    await storeKey(dir);
    fs.rmSync(path.join(dir, 'master.key'));
    const err = await open(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      /HIVE_MASTER_KEY is not set and .*master\.key does not exist, but the store holds secrets sealed with master key [0-9a-f]{12}/,
    );
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(false);
  });

  it('GIVEN the generated key file kept THEN the next start opens the keys as before', async () => {
    const dir = dataDir();
    await storeKey(dir);
    const hive = await open(dir);
    expect((await hive.keys.usable('slack:T1')).get('openai')?.key).toBe(CANARY.openai);
    await hive.close();
  });

  it('GIVEN data written before the fingerprint was recorded THEN a different key is still detected from the sealed values', async () => {
    const dir = dataDir();
    const store = await createStore(`sqlite://${path.join(dir, 'hive.sqlite')}`);
    const other = randomBytes(32);
    await store
      .ns('keys')
      .set('slack:T1|openai', { v: 1, sealed: seal(other, CANARY.openai, keyAad('slack:T1', 'openai')), last4: 'ghij', addedAt: 'x', health: 'ok' });
    await store.close();
    await expect(open(dir, b64())).rejects.toThrow(/is not the one the stored secrets were sealed with/);
  });

  it('GIVEN the documented reset THEN the stored secrets are gone and Hive starts with the new key', async () => {
    const dir = dataDir();
    await storeKey(dir, b64());
    const store = await createStore(`sqlite://${path.join(dir, 'hive.sqlite')}`);
    await forgetSealedSecrets(store);
    await store.close();
    const hive = await open(dir, b64());
    expect(await hive.keys.list('slack:T1')).toEqual([]);
    await hive.close();
  });

  it('GIVEN one stored key sealed with another master key THEN keys list shows it as unreadable and jobs do not use it', async () => {
    const dir = dataDir();
    const mk = b64();
    await storeKey(dir, mk);
    const hive = await open(dir, mk);
    await hive.store.ns('keys').set('slack:T1|google', {
      v: 1,
      sealed: seal(randomBytes(32), CANARY.google, keyAad('slack:T1', 'google')),
      last4: 'hijk',
      addedAt: '2026-11-01T00:00:00Z',
      health: 'ok',
    });
    const list = await hive.keys.list('slack:T1');
    expect(list.find((k) => k.vendor === 'google')).toMatchObject({
      health: 'unreadable',
      healthReason: expect.stringMatching(/sealed with another master key/),
    });
    expect([...(await hive.keys.usable('slack:T1')).keys()]).toEqual(['openai']);
    await expect(hive.keys.test('slack:T1', 'google')).rejects.toThrow(/cannot be opened/);
    await hive.close();
  });
});

describe('master key without sealed data', () => {
  it('GIVEN a data folder that never stored a secret WHEN master.key is lost THEN Hive starts with a new one', async () => {
    const dir = dataDir();
    await (await open(dir)).close();
    fs.rmSync(path.join(dir, 'master.key'));
    const hive = await open(dir);
    await hive.close();
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(true);
  });
});

describe('hive master-key reset', () => {
  it('GIVEN a lost key WHEN the operator runs the documented command THEN it asks for --yes, then clears the sealed secrets and Hive starts', async () => {
    const { runCli } = await import('../../adapters/cli/hive.ts');
    const { PassThrough } = await import('node:stream');
    const dir = dataDir();
    await storeKey(dir, b64());
    const env = { HIVE_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const io = () => {
      const out = new PassThrough();
      const err = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      err.on('data', (d: Buffer) => (text += d.toString()));
      return { io: { stdin: process.stdin, stdout: out, stderr: err }, text: () => text };
    };
    const first = io();
    expect(await runCli(['master-key', 'reset'], env, first.io)).toBe(2);
    expect(first.text()).toMatch(/deletes every stored vendor key[\s\S]*--yes/);
    const second = io();
    expect(await runCli(['master-key', 'reset', '--yes'], env, second.io)).toBe(0);
    expect(second.text()).toMatch(/Deleted the stored vendor keys/);
    const hive = await open(dir, b64());
    expect(await hive.keys.list('slack:T1')).toEqual([]);
    await hive.close();
  });
});

describe('hive master-key reset while the key is not lost', () => {
  const capture = async () => {
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const err = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    err.on('data', (d: Buffer) => (text += d.toString()));
    return { io: { stdin: process.stdin, stdout: out, stderr: err }, out, text: () => text };
  };

  it.each([
    ['the data folder’s master.key', false],
    ['HIVE_MASTER_KEY', true],
  ])('GIVEN %s opens every stored key WHEN reset --yes THEN nothing is deleted and it says how to delete anyway', async (_name, inEnv) => {
    const { runCli } = await import('../../adapters/cli/hive.ts');
    const dir = dataDir();
    const mk = inEnv ? b64() : undefined;
    await storeKey(dir, mk);
    const env = { HIVE_DATA_DIR: dir, LOG_LEVEL: 'silent', ...(mk ? { HIVE_MASTER_KEY: mk } : {}) };
    const c = await capture();
    expect(await runCli(['master-key', 'reset', '--yes'], env, c.io)).not.toBe(0);
    expect(c.text()).toMatch(
      /Nothing deleted: the master key from \S+ opens everything stored \(1 vendor key \(slack:T1 openai\) and 0 Slack installations\)[\s\S]*--yes --force/,
    );
    const hive = await open(dir, mk);
    expect((await hive.keys.list('slack:T1')).map((k) => k.vendor)).toEqual(['openai']);
    await hive.close();
  });

  it('GIVEN --force THEN it names what it deletes and deletes it', async () => {
    const { runCli } = await import('../../adapters/cli/hive.ts');
    const dir = dataDir();
    await storeKey(dir);
    const c = await capture();
    expect(await runCli(['master-key', 'reset', '--yes', '--force'], { HIVE_DATA_DIR: dir, LOG_LEVEL: 'silent' }, c.io)).toBe(0);
    expect(c.text()).toMatch(
      /^Deleting, though the master key from \S+master\.key opens them: 1 vendor key \(slack:T1 openai\) and 0 Slack installations\.\nDeleted/,
    );
    const hive = await open(dir);
    expect(await hive.keys.list('slack:T1')).toEqual([]);
    await hive.close();
  });
});
