import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLinkSigner } from '../../src/keys/link-signer.ts';

const DAY_MS = 86_400_000;
const PAGE = 'evidence/01JD0000000000000000000000';

function signed(ttlDays?: number) {
  const clock = { t: Date.parse('2026-12-01T00:00:00Z') };
  const masterKey = randomBytes(32);
  const signer = createLinkSigner({ masterKey, now: () => clock.t, ...(ttlDays ? { ttlDays } : {}) });
  const url = new URL(signer.url('https://hive.example.com/', 'slack:T1', PAGE));
  return { clock, masterKey, signer, url, q: url.searchParams };
}

describe('signed links', () => {
  it('GIVEN a fresh link THEN it opens its page for its workspace, at the public address', () => {
    const { signer, url, q } = signed();
    expect(url.origin + url.pathname).toBe(`https://hive.example.com/${PAGE}`);
    expect(signer.check(PAGE, q)).toEqual({ workspaceId: 'slack:T1', expires: Date.parse('2026-12-08T00:00:00Z') / 1000 });
  });

  it('GIVEN the fake clock past 7 days (or HIVE_LINK_TTL_DAYS) THEN refused', () => {
    const { signer, clock, q } = signed();
    clock.t += 7 * DAY_MS - 1;
    expect(signer.check(PAGE, q)).toBeDefined();
    clock.t += 1;
    expect(signer.check(PAGE, q)).toBeUndefined();
    const short = signed(1);
    short.clock.t += DAY_MS;
    expect(short.signer.check(PAGE, short.q)).toBeUndefined();
  });

  it('GIVEN a changed signature, workspace, expiry or page THEN refused', () => {
    const { signer, q } = signed();
    const edit = (k: string, v: string) => new URLSearchParams({ ...Object.fromEntries(q), [k]: v });
    const s = q.get('s')!;
    expect(signer.check(PAGE, edit('s', `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`))).toBeUndefined();
    expect(signer.check(PAGE, edit('s', s.slice(1)))).toBeUndefined();
    expect(signer.check(PAGE, edit('w', 'slack:T2'))).toBeUndefined();
    expect(signer.check(PAGE, edit('e', String(Number(q.get('e')) + 1)))).toBeUndefined();
    expect(signer.check('evidence/01JD0000000000000000000001', q)).toBeUndefined();
    expect(signer.check(PAGE, new URLSearchParams())).toBeUndefined();
  });

  it('GIVEN the master key THEN links are signed with a key derived from it, never the key itself, and another install refuses them', () => {
    const { masterKey, q } = signed();
    const withMaster = createHmac('sha256', masterKey)
      .update(`slack:T1\n${PAGE}\n${q.get('e')}`)
      .digest('base64url');
    expect(q.get('s')).not.toBe(withMaster);
    const other = createLinkSigner({ masterKey: randomBytes(32), now: () => Date.parse('2026-12-01T00:00:00Z') });
    expect(other.check(PAGE, q)).toBeUndefined();
  });

  it('GIVEN a page links may not open THEN signing throws', () => {
    const { signer } = signed();
    expect(() => signer.url('https://h', 'w', '../admin')).toThrow();
  });
});
