import { describe, expect, it } from 'vitest';
import { createSecretRegistry, scrubSecret } from '../../src/shared/secrets.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { keyPieces } from '../helpers/key-pieces.ts';
import { seededRandom } from '../helpers/seeded-random.ts';

/** An Azure-style key (32 hex digits): no vendor shape, so only the registry can know it. */
const KEY = '3f9c1e0b7a2d4c6e8f1a3b5c7d9e3e5e';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('secret registry: whole, in pieces, encoded', () => {
  it('GIVEN a stored key THEN whole it shows its last four, a piece of 8+ shows nothing, a shorter piece stays', () => {
    const r = createSecretRegistry();
    r.add(KEY, 'slack:TA');
    expect(r.scrub(`key ${KEY}.`)).toBe('key ••••3e5e.');
    expect(r.scrub(`key ${KEY.slice(0, -5)}***** refused`)).toBe('key ••••***** refused');
    expect(r.scrub(`ids ${KEY.slice(4, 12)} and ${KEY.slice(4, 11)}`)).toBe(`ids •••• and ${KEY.slice(4, 11)}`);
  });

  it('GIVEN the key beside a piece of it THEN the last four and the piece never rebuild it', () => {
    const r = createSecretRegistry();
    r.add(KEY, 'slack:TA');
    const out = r.scrub(`stored ${KEY}; the vendor saw ${KEY.slice(0, -5)} and ${KEY.slice(-9)}`);
    expect(keyPieces(out.replaceAll('••••3e5e', ''), KEY, 5)).toEqual([]);
  });

  it.each([
    ['standard base64 at offset 0', b64(KEY)],
    ['standard base64 at offset 1', b64(`u${KEY}`)],
    ['standard base64 at offset 2', b64(`us${KEY}`)],
    ['Basic user:key', `Basic ${b64(`user:${KEY}`)}`],
    ['URL-safe base64', Buffer.from(`\u00ff\u00fe${KEY}`, 'latin1').toString('base64url')],
    ['lower-case hex', Buffer.from(KEY).toString('hex')],
    ['upper-case hex at an odd offset', `0${Buffer.from(KEY).toString('hex').toUpperCase()}`],
    ['base64 of the key minus its last 5', b64(KEY.slice(0, -5))],
  ])('GIVEN the key as %s THEN no decoding of what is left holds 8 characters of it', (_what, encoded) => {
    const r = createSecretRegistry();
    r.add(KEY, 'slack:TA');
    const out = r.scrub(`header: ${encoded} end`);
    expect(out).toContain('••••');
    expect(keyPieces(out, KEY)).toEqual([]);
  });

  it('GIVEN a vendor prefix alone, or with fewer than 8 characters of a key after it THEN nothing is masked', () => {
    const openai = fakeSecret('sk-', 'proj-Abcdefghijklmnopqrstuvwx0123');
    const anthropic = fakeSecret('sk-ant-', 'api03-Zyxwvutsrqponmlkjihg9876');
    const r = createSecretRegistry();
    r.add(openai, 'discord:1');
    r.add(anthropic, 'discord:1');
    const text = 'keys start with sk-proj- or sk-ant-api03- (try sk-proj-Abcdefg)';
    expect(r.forWorkspace('discord:1').find(text)).toEqual([]);
    expect(r.scrub('see sk-proj-Abcdefgh')).toBe('see ••••');
  });

  it('GIVEN a Slack token THEN its team and user numbers are not a piece of it', () => {
    const token = fakeSecret('xoxb-', '123456789012-987654321098-AbCdEfGhIjKlMnOpQrStUvWx');
    const r = createSecretRegistry([token]);
    expect(r.scrub('team 123456789012 and bot user 987654321098')).toBe('team 123456789012 and bot user 987654321098');
  });

  it('GIVEN a serialized JSON line with a secret that JSON escapes THEN the masked line still parses', () => {
    const secret = 'gw"key\\with-quotes-0042';
    const r = createSecretRegistry([secret]);
    const line = r.scrub(JSON.stringify({ detail: `header was ${secret}`, tail: secret.slice(0, 12) }));
    expect(line).not.toContain('with-quotes');
    expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('GIVEN a candidate key that must not be remembered THEN scrubSecret masks it once and the registry stays empty', () => {
    const r = createSecretRegistry();
    expect(scrubSecret(`rejected ${KEY.slice(2, 20)} (${b64(KEY)})`, KEY)).toBe('rejected •••• (••••=)');
    expect(r.size).toBe(0);
  });
});

describe('secret registry: whose secrets a workspace sees', () => {
  it("GIVEN one workspace's key THEN only that workspace and the operator's logs mask it; operator secrets are masked for all", () => {
    const r = createSecretRegistry(['hive-test-signing-secret-4f9a1c']);
    r.add('the meeting', 'slack:TB');
    const question = 'when is the meeting? signing hive-test-signing-secret-4f9a1c';
    expect(r.forWorkspace('slack:TA').scrub(question)).toBe('when is the meeting? signing ••••9a1c');
    expect(r.forWorkspace('slack:TB').scrub(question)).toBe('when is ••••ting? signing ••••9a1c');
    expect(r.scrub(question)).toBe('when is ••••ting? signing ••••9a1c');
  });

  it('GIVEN 5,000 keys of 500 workspaces THEN a text finds the one it carries, seen by its own workspace only', () => {
    const random = seededRandom(20);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
    const keyOf = () => Array.from({ length: 48 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const r = createSecretRegistry();
    const keys = Array.from({ length: 5000 }, (_, i) => ({ key: keyOf(), ws: `slack:T${i % 500}` }));
    for (const k of keys) r.add(k.key, k.ws);
    for (let trial = 0; trial < 200; trial++) {
      const { key, ws } = keys[Math.floor(random() * keys.length)]!;
      const from = Math.floor(random() * (key.length - 8));
      const piece = key.slice(from, from + 8 + Math.floor(random() * (key.length - from - 8)));
      const text = `prefix words ${piece} suffix words`;
      expect(r.forWorkspace(ws).scrub(text)).toBe('prefix words •••• suffix words');
      expect(r.forWorkspace('slack:Tnone').find(text)).toEqual([]);
    }
  });
});
