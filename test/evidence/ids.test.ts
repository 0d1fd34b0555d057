import { describe, expect, it } from 'vitest';
import { newEvidenceId } from '../../src/shared/ids.ts';

describe('evidence ids', () => {
  it('GIVEN many ids in the same millisecond THEN each is a ULID, sorted after the one before, with random bits that vary', () => {
    const at = Date.parse('2026-11-24T12:00:00Z');
    const ids = Array.from({ length: 5000 }, (_, i) => newEvidenceId(at + Math.floor(i / 1000)));
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    // The first id of each new millisecond draws fresh randomness: no two share their random part.
    const firsts = [0, 1000, 2000, 3000, 4000].map((i) => ids[i]!.slice(10));
    expect(new Set(firsts).size).toBe(firsts.length);
    const chars = new Set(firsts.join(''));
    expect(chars.size).toBeGreaterThan(16);
  });
});
