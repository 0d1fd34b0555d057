import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../adapters/models/classify.ts';
import { startDeadline } from '../../adapters/models/deadline.ts';
import { parseRetryAfter } from '../../adapters/models/durations.ts';
import { toVendorError } from '../../adapters/models/errors.ts';
import { leaksSecret, redactSecrets } from '../../adapters/models/redact.ts';

const now = Date.parse('2025-06-01T12:00:00Z');
const h = (o: Record<string, string>) => new Headers(o);

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then retry-after seconds, then an HTTP date', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '9' }), now)).toBe(9000);
    expect(parseRetryAfter(h({ 'retry-after': '0.5' }), now)).toBe(500);
    expect(parseRetryAfter(h({ 'retry-after': 'Sun, 01 Jun 2025 12:00:30 GMT' }), now)).toBe(30_000);
  });

  it('ignores missing or garbage values and never goes negative', () => {
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'later' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'Sun, 01 Jun 2025 11:00:00 GMT' }), now)).toBe(0);
  });
});

describe('classifyFailure', () => {
  it.each([
    ['anthropic', { status: 529, type: 'overloaded_error' }, 'overloaded'],
    ['anthropic', { type: 'overloaded_error' }, 'overloaded'],
    ['anthropic', { status: 429, type: 'rate_limit_error', code: 'enforced_spend_limit_reached' }, 'spend_limit'],
    ['anthropic', { status: 400, type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' }, 'quota'],
    ['openai', { status: 429, type: 'insufficient_quota', code: 'insufficient_quota' }, 'quota'],
    ['openai', { status: 429, type: 'tokens', code: 'rate_limit_exceeded' }, 'rate_limit'],
    ['openai', { status: 413 }, 'bad_request'],
    ['openai', { status: 422 }, 'bad_request'],
    ['openai', { status: 502 }, 'server'],
    ['google', { status: 400, type: 'INVALID_ARGUMENT', code: 'API_KEY_INVALID' }, 'auth'],
    ['google', { status: 400, type: 'FAILED_PRECONDITION', message: 'User location is not supported.' }, 'bad_request'],
    ['google', { status: 403, type: 'PERMISSION_DENIED' }, 'auth'],
    ['google', { status: 503, type: 'UNAVAILABLE' }, 'overloaded'],
  ] as const)('%s %j is %s', (vendor, failure, kind) => {
    expect(classifyFailure(vendor, failure, now).kind).toBe(kind);
  });
});

describe('redaction', () => {
  const key = 'zz-plain-secret-0123456789';

  it('removes the key verbatim and key-shaped tokens vendors echo back', () => {
    expect(redactSecrets(`bad key ${key}!`, key)).toBe('bad key ••••6789!');
    expect(redactSecrets('Incorrect API key provided: sk-pro********abcd. You can', key)).toBe('Incorrect API key provided: [redacted]. You can');
    expect(redactSecrets('key AIzaSyAbcdefghijklmnop rejected', key)).toBe('key [redacted] rejected');
  });

  it('GIVEN a vendor echoing the key in part or encoded THEN nothing of it is left and no character of the piece is shown', () => {
    const echoed = `key ${key.slice(0, -5)}***** refused; Authorization: Basic ${Buffer.from(`user:${key}`).toString('base64')}; hex ${Buffer.from(key).toString('hex')}`;
    const out = redactSecrets(echoed, key);
    expect(out).toBe('key ••••***** refused; Authorization: Basic dXNlcj••••==; hex ••••');
  });

  it('finds a key hidden in a cause chain', () => {
    expect(leaksSecret(new Error('outer', { cause: new Error(`inner ${key}`) }), key)).toBe(true);
    expect(leaksSecret(new Error('clean'), key)).toBe(false);
  });

  it('never attaches a key-bearing error as the cause', () => {
    const err = toVendorError(new TypeError(`socket hang up for ${key}`), {
      vendor: 'openai',
      apiKey: key,
      timeoutMs: 1000,
      streaming: true,
      describe: () => undefined,
    });
    expect(err.kind).toBe('stream_cut');
    expect(err.cause).toBeUndefined();
    expect(err.message).not.toContain(key);
  });
});

describe('startDeadline', () => {
  it('says timeout when the clock runs out and aborted when the caller cancels, first cause wins', async () => {
    const timed = startDeadline({ timeoutMs: 10 });
    await new Promise((r) => setTimeout(r, 30));
    expect([timed.signal.aborted, timed.stopReason()]).toEqual([true, 'timeout']);
    timed.dispose();

    const ac = new AbortController();
    const cancelled = startDeadline({ signal: ac.signal, timeoutMs: 1000 });
    ac.abort();
    expect([cancelled.signal.aborted, cancelled.stopReason()]).toEqual([true, 'aborted']);
    cancelled.dispose();
  });
});
