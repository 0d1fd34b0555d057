import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { createSecretRegistry } from '../../src/secrets.ts';
import { VendorError } from '../../src/errors.ts';
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
    log.info({ apiKey: 'whatever', headers: { authorization: 'Bearer abc' }, note: fakeSecret('sk-ant-', 'api03-unregistered-0123456789') }, 'AIzaSyUnregisteredKey0123456789abcdefg seen');
    const out = lines.join('\n');
    expect(out).not.toMatch(/whatever|Bearer abc|sk-ant-api03-unregistered|AIzaSyUnregistered/);
    expect(out).toContain('[Redacted]');
  });
});
