import { randomBytes } from 'node:crypto';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { createKeyVault } from '../../src/keys/vault.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

const KEY = 'sk-canary-vault-0123456789abcdefXYZW';

function setup(masterKey = randomBytes(32)) {
  const store = new Keyv();
  const secrets = createSecretRegistry();
  return { store, secrets, vault: createKeyVault({ store, masterKey, secrets }), masterKey };
}

describe('key vault', () => {
  it('GIVEN a stored key THEN it reads back, lists masked, and is not in the row in plaintext', async () => {
    const { vault, store } = setup();
    const info = await vault.set('slack:T1', 'openai', KEY, { addedBy: 'U1' });
    expect(info.masked).toBe('••••XYZW');
    expect(await vault.get('slack:T1', 'openai')).toBe(KEY);
    const raw = JSON.stringify(await store.get('slack:T1|openai'));
    expect(raw).not.toContain(KEY);
    expect(raw).not.toContain(KEY.slice(0, 20));
    const list = await vault.list('slack:T1');
    expect(list).toEqual([expect.objectContaining({ vendor: 'openai', masked: '••••XYZW', health: 'unverified', addedBy: 'U1' })]);
    expect(JSON.stringify(list)).not.toContain(KEY);
  });

  it('GIVEN the same key written twice THEN each write uses a fresh nonce', async () => {
    const { vault, store } = setup();
    await vault.set('w', 'openai', KEY);
    const a = (await store.get('w|openai')) as { sealed: { iv: string; ct: string } };
    await vault.set('w', 'openai', KEY);
    const b = (await store.get('w|openai')) as { sealed: { iv: string; ct: string } };
    expect(a.sealed.iv).not.toBe(b.sealed.iv);
    expect(a.sealed.ct).not.toBe(b.sealed.ct);
  });

  it('GIVEN a ciphertext moved to another workspace or vendor row THEN it fails to decrypt', async () => {
    const { vault, store } = setup();
    await vault.set('slack:T1', 'openai', KEY);
    const row = await store.get('slack:T1|openai');
    await store.set('slack:T2|openai', row);
    await store.set('slack:T1|anthropic', row);
    await expect(vault.get('slack:T2', 'openai')).rejects.toMatchObject({ code: 'vault_decrypt_failed' });
    await expect(vault.get('slack:T1', 'anthropic')).rejects.toMatchObject({ code: 'vault_decrypt_failed' });
  });

  it('GIVEN a tampered ciphertext THEN it fails authentication', async () => {
    const { vault, store } = setup();
    await vault.set('w', 'google', fakeSecret('AIza', 'CanaryKey0123456789abcdefghijklmno'));
    const row = (await store.get('w|google')) as { sealed: { ct: string } };
    const ct = Buffer.from(row.sealed.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    row.sealed.ct = ct.toString('base64');
    await store.set('w|google', row);
    await expect(vault.get('w', 'google')).rejects.toMatchObject({ code: 'vault_decrypt_failed' });
  });

  it('GIVEN a different master key THEN it says the master key changed', async () => {
    const a = setup();
    await a.vault.set('w', 'openai', KEY);
    const other = createKeyVault({ store: a.store, masterKey: randomBytes(32), secrets: createSecretRegistry() });
    await expect(other.get('w', 'openai')).rejects.toMatchObject({ code: 'vault_wrong_master_key' });
  });

  it('GIVEN health updates and removal THEN list reflects them and workspace removal shreds all', async () => {
    const { vault, secrets } = setup();
    await vault.set('w', 'openai', KEY);
    await vault.set('w', 'anthropic', fakeSecret('sk-ant-', 'canary-0123456789abcdef'));
    await vault.setHealth('w', 'openai', 'unhealthy', 'auth: invalid key');
    expect((await vault.list('w')).find((k) => k.vendor === 'openai')?.healthReason).toBe('auth: invalid key');
    expect(secrets.scrub(`x ${KEY} y`)).not.toContain(KEY);
    expect(await vault.remove('w', 'openai')).toBe(true);
    await vault.removeWorkspace('w');
    expect(await vault.list('w')).toEqual([]);
  });
});
