import { describe, expect, it } from 'vitest';
import { UserError, VendorError } from '../../src/shared/errors.ts';
import type { ModelProvider } from '../../src/shared/provider-spec.ts';
import { verifyKey } from '../../src/keys/key-verification.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

const KEY = fakeSecret('sk-', 'verify0123456789abcdefghijklmnop');

function provider(listModels: ModelProvider['listModels']): ModelProvider {
  return { vendor: 'openai', generate: () => Promise.reject(new Error('not used')), listModels };
}

describe('verifyKey', () => {
  it('GIVEN a key the vendor accepts THEN it resolves, passing the key and the default deadline', async () => {
    const seen: unknown[] = [];
    await verifyKey(
      provider(async (key, opts) => (seen.push(key, opts?.timeoutMs), [])),
      'openai',
      KEY,
    );
    expect(seen).toEqual([KEY, 15_000]);
  });

  it('GIVEN a timeout THEN the check uses it', async () => {
    const seen: unknown[] = [];
    await verifyKey(
      provider(async (_key, opts) => (seen.push(opts?.timeoutMs), [])),
      'openai',
      KEY,
      250,
    );
    expect(seen).toEqual([250]);
  });

  it('GIVEN the vendor rejects the key THEN the error is a key_rejected UserError naming where to get one', async () => {
    const rejected = new VendorError({ vendor: 'openai', kind: 'auth', message: 'invalid key' });
    const err = await verifyKey(
      provider(() => Promise.reject(rejected)),
      'openai',
      KEY,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('key_rejected');
    expect((err as UserError).message).toMatch(/^OpenAI rejected this key: invalid key\. Check or create a key at https:/);
  });

  it('GIVEN the check itself fails THEN the error is key_unverifiable and offers --no-verify', async () => {
    const err = await verifyKey(
      provider(() => Promise.reject(new Error('socket hang up'))),
      'openai',
      KEY,
    ).catch((e: unknown) => e);
    expect((err as UserError).code).toBe('key_unverifiable');
    expect((err as UserError).message).toBe('Could not verify the OpenAI key (socket hang up). Try again, or skip the check with --no-verify.');
  });
});
