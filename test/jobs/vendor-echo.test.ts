import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { keyPieces } from '../helpers/key-pieces.ts';

/** Gateway-style keys (hex, no vendor shape): only what the registry knows can find them. */
const KEYS: Record<Vendor, string> = {
  openai: '3f9c1e0b7a2d4c6e8f1a3b5c7d9e3e5e',
  anthropic: 'c4d8e2f6a1b5c9d3e7f1a5b9c3d7e1f5',
  google: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
};
const MODEL: Record<Vendor, string> = { openai: 'gpt-6-luna', anthropic: 'claude-haiku-5-5', google: 'gemini-3.8-flash' };
const WS = 'slack:TECHO';
const b64 = (s: string) => Buffer.from(s).toString('base64');
/** A 401 body echoing the key in part (all but its last 5) and whole in base64, as a gateway might. */
const echo401 = (key: string): FakeBehaviour => ({
  status: 401,
  errorMessage: `Key ${key.slice(0, -5)} is not allowed; the request carried Authorization: Basic ${b64(`hive:${key}`)}`,
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function evidenceExport(x: Harness, masterKey: string): Promise<string> {
  await x.hive.evidence.flush();
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const env = { HIVE_DATA_DIR: x.dataDir, HIVE_STORE_URL: `sqlite://${path.join(x.dataDir, 'hive.sqlite')}`, HIVE_MASTER_KEY: masterKey, LOG_LEVEL: 'silent' };
  const code = await runCli(['evidence', 'export', '--since', new Date().toISOString().slice(0, 10)], env, {
    stdin: process.stdin,
    stdout: out,
    stderr: new PassThrough(),
  });
  expect(code).toBe(0);
  return text;
}

/** Every byte of the data folder (SQLite files of the keyed store and the log store, with their journals). */
function bytesAtRest(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('secrets in what vendors send back', () => {
  it.each(Object.keys(KEYS) as Vendor[])(
    'GIVEN %s answering 401 with the key echoed in part and in base64 THEN the reply, keys list, evidence, logs and log store carry none of it',
    async (vendor) => {
      const key = KEYS[vendor];
      const masterKey = randomBytes(32).toString('base64');
      h = await startHarness({
        store: 'sqlite',
        env: { HIVE_MASTER_KEY: masterKey },
        vendors: { [vendor]: (r: FakeRequest) => (r.model ? echo401(r.apiKey) : {}) },
      });
      await h.hive.keys.register(WS, vendor, key, { verify: false });

      const reply = await h.run(`/ask --model ${vendor}:${MODEL[vendor]} What changed?`, { workspaceId: WS });
      expect(reply.text).toMatch(/key ••••3?[0-9a-f]{0,4} failed \(auth/);
      expect(reply.text).toContain('Key •••• is not allowed');
      const list = await h.run('/hive keys list', { workspaceId: WS });
      expect(list.text).toContain('unhealthy — auth');
      const exported = await evidenceExport(h, masterKey);
      expect(exported).toContain(`"workspaceId":"${WS}"`);
      const rows = JSON.stringify([
        await h.hive.logs.selectFrom('evidence').selectAll().execute(),
        await h.hive.logs.selectFrom('ledger').selectAll().execute(),
      ]);

      for (const [where, text] of Object.entries({
        reply: reply.text,
        list: list.text,
        exported,
        rows,
        logs: h.logs.join('\n'),
        atRest: bytesAtRest(h.dataDir),
      })) {
        expect({ where, pieces: keyPieces(text, key) }).toEqual({ where, pieces: [] });
      }
    },
  );

  it('GIVEN a proxy answering with the caller key, split across streamed deltas THEN the answer, the live text and the evidence show it masked', async () => {
    const key = KEYS.openai;
    const chunks = ['Sure. Your key is ', key.slice(0, 11), key.slice(11, 23), key.slice(23), ', or as Basic auth ', b64(`hive:${key}`), '. Anything else?'];
    h = await startHarness({ vendors: { openai: () => ({ text: chunks.join(''), chunks }) } });
    await h.hive.keys.register(WS, 'openai', key, { verify: false });

    const posted = await h.run('/ask --model openai:gpt-6-luna hello', { workspaceId: WS });
    expect(posted.text).toBe('Sure. Your key is ••••3e5e, or as Basic auth aGl2ZT••••==. Anything else?');
    let live = '';
    const answer = await h.hive.ctx.runner.ask({
      origin: { workspaceId: WS, channelId: 'C1', userId: 'U1', platform: 'test', command: 'ask' },
      question: 'and again?',
      route: { model: { vendor: 'openai', model: 'gpt-6-luna' } },
      onText: (delta) => {
        live += delta;
        expect(keyPieces(live, key, 5)).toEqual([]);
      },
    });
    expect(live).toBe(answer.text);
    expect(answer.text).toBe(posted.text);
    const evidenceId = /evidence ([0-9A-Z]{26})/.exec(posted.footer ?? '')![1]!;
    await h.hive.evidence.flush();
    const record = JSON.stringify(await h.hive.evidence.get(evidenceId, WS));
    expect(record).toContain('Sure. Your key is ••••3e5e');
    expect(keyPieces(record, key)).toEqual([]);
  });

  it('GIVEN consensus members and the judge answering with the caller key THEN each member, the verdict and the evidence show it masked', async () => {
    const key = KEYS.openai;
    const judge = (r: FakeRequest) => JSON.stringify(r.body).includes('You compare answers that several AI models gave');
    const verdict = { answer: `Rotate the key ${key} today.`, agreement: 'all', agreed: [`the key ${b64(key)} leaked`], disagreements: [] };
    h = await startHarness({
      vendors: { openai: (r) => ({ text: judge(r) ? JSON.stringify(verdict) : `The proxy saw your key ${key.slice(2)}, so rotate it today.` }) },
    });
    await h.hive.keys.register(WS, 'openai', key, { verify: false });
    const r = await h.run('/consensus --models openai:gpt-6-luna,openai:gpt-6.2-sol what now?', { workspaceId: WS });
    expect(r.text).toContain('Rotate the key ••••3e5e today.');
    expect(keyPieces(JSON.stringify(r), key)).toEqual([]);
    await h.hive.evidence.flush();
    const record = await h.hive.evidence.get(/evidence ([0-9A-Z]{26})/.exec(r.footer ?? '')![1]!, WS);
    expect(record?.content).toMatchObject({ candidates: [expect.anything(), expect.anything()] });
    expect(keyPieces(JSON.stringify(record), key)).toEqual([]);
  });
});
