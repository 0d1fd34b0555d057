import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/log.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { VendorError } from '../../src/shared/errors.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

function setup() {
  const lines: string[] = [];
  const secrets = createSecretRegistry();
  const log = createLogger({ level: 'debug', secrets, sink: { write: (l) => void lines.push(l) } });
  return { lines, secrets, log };
}

describe('logging', () => {
  it('GIVEN a registered secret inside an error message, stack and cause THEN no line carries it', () => {
    const { lines, secrets, log } = setup();
    const key = 'custom-gateway-key-7f3a9b2c1d';
    secrets.add(key);
    const cause = new Error(`upstream said: bad key ${key}`);
    const err = new VendorError({ vendor: 'openai', kind: 'auth', message: `rejected ${key}`, status: 401, cause });
    log.error({ err }, `call failed for ${key}`);
    const out = lines.join('\n');
    expect(out).not.toContain(key);
    expect(out).toContain('••••2c1d');
    expect(JSON.parse(lines[0]!)).toMatchObject({ err: { type: 'VendorError', code: 'openai_auth', status: 401, kind: 'auth' } });
  });

  it('GIVEN key-bearing fields and key-shaped strings THEN they are redacted even when never registered', () => {
    const { lines, log } = setup();
    log.info(
      { apiKey: 'whatever', headers: { authorization: 'Bearer abc' }, note: fakeSecret('sk-ant-', 'api03-unregistered-0123456789') },
      'AIzaSyUnregisteredKey0123456789abcdefg seen',
    );
    const out = lines.join('\n');
    expect(out).not.toMatch(/whatever|Bearer abc|sk-ant-api03-unregistered|AIzaSyUnregistered/);
    expect(out).toContain('[Redacted]');
  });
});

describe('logging for a person at a terminal (pretty)', () => {
  // Colour codes come from the formatter; strip them to read the text.
  const plain = (s: string) => s.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
  function prettySetup() {
    const lines: string[] = [];
    const secrets = createSecretRegistry();
    const log = createLogger({ level: 'debug', secrets, pretty: true, sink: { write: (l) => void lines.push(l) } });
    return { lines, secrets, log };
  }

  it('GIVEN pretty output THEN lines are human-readable, not JSON, and logging does not throw', () => {
    const { lines, log } = prettySetup();
    log.info({ workspaceId: 'local' }, 'listening on the terminal');
    expect(lines).toHaveLength(1);
    const text = plain(lines[0]!);
    expect(text).toMatch(/INFO.*listening on the terminal/);
    expect(text).toContain('"workspaceId":"local"');
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('GIVEN a registered secret and key-shaped strings THEN no pretty line carries them', () => {
    const { lines, secrets, log } = prettySetup();
    const key = 'custom-gateway-key-7f3a9b2c1d';
    secrets.add(key);
    const err = new VendorError({ vendor: 'openai', kind: 'auth', message: `rejected ${key}`, status: 401, cause: new Error(`bad key ${key}`) });
    log.error({ err, apiKey: 'whatever', note: fakeSecret('sk-ant-', 'api03-unregistered-0123456789') }, `call failed for ${key}`);
    const out = plain(lines.join('\n'));
    expect(out).not.toMatch(/custom-gateway-key-7f3a9b2c1d|whatever|sk-ant-api03-unregistered/);
    expect(out).toContain('••••2c1d');
    expect(out).toContain('[Redacted]');
    expect(out).toMatch(/VendorError/);
  });

  it('GIVEN a secret with characters JSON escapes THEN the pretty line still hides it', () => {
    const { lines, secrets, log } = prettySetup();
    const key = 'gw"key\\with-quotes-0042';
    secrets.add(key);
    log.warn({ detail: `header was ${key}` }, 'gateway refused');
    const out = plain(lines.join('\n'));
    expect(out).not.toContain('with-quotes');
    expect(out).toContain('••••0042');
  });

  it('GIVEN logged text with terminal escape sequences THEN the pretty line shows them escaped', () => {
    const { lines, log } = prettySetup();
    log.info({ question: 'hi\u001b]0;pwned\u0007 there' }, 'asked \u001b[2J');
    const out = plain(lines.join('\n'));
    expect(out).toContain('\\x1b]0;pwned\\x07');
    expect(out).toContain('asked \\x1b[2J');
    expect(out).not.toMatch(/\p{Cc}(?<![\n\t])/u);
  });
});
