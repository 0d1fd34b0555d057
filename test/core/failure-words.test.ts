import { afterEach, describe, expect, it } from 'vitest';
import { VENDOR_FAILURE_WORDS, endWords, formatWait, stopWords, timedOutWords, vendorFailureWords } from '../../src/routing/failure-words.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('failure words: one label per failure, wherever it is shown', () => {
  it('GIVEN every vendor failure kind THEN each has its own label, and an unknown kind reads as a plain failure', () => {
    const labels = Object.values(VENDOR_FAILURE_WORDS);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((l) => /^[a-z][a-z -]+$/.test(l))).toBe(true);
    expect(vendorFailureWords('overloaded')).toBe('overloaded');
    expect(vendorFailureWords('toString')).toBe('failed');
    expect(vendorFailureWords(undefined)).toBe('failed');
  });

  it('GIVEN each stop cause THEN its label names the deadline or the quorum', () => {
    expect(stopWords({ kind: 'timeout', afterMs: 150 })).toBe('no answer within 150 ms');
    expect(stopWords({ kind: 'timeout', afterMs: 2500 })).toBe('no answer within 2.5 s');
    expect(stopWords({ kind: 'quorum', agreed: 2, of: 3 })).toBe('2/3 had already agreed');
    expect(formatWait(999.6)).toBe('1000 ms');
  });

  it('GIVEN something that gave no answer THEN it reads timed out only when its deadline ended it', () => {
    expect([endWords('timed_out'), endWords('failed'), endWords('ok')]).toEqual(['timed out', 'failed', 'failed']);
    expect(timedOutWords(2500)).toBe('timed out (no answer within 2.5 s)');
  });

  it('GIVEN a vendor that refuses the request THEN the /ask footer and the /consensus member line use the same words', async () => {
    h = await startHarness({
      vendors: {
        anthropic: () => ({ status: 400 }),
        openai: () => ({ text: '42', usage: { input: 10, output: 2 } }),
        google: () => ({ text: '42', usage: { input: 10, output: 2 } }),
      },
      equalLimits: true,
    });
    const cheap = await h.run('/ask --cheap what is 6x7');
    expect(cheap.footer).toMatch(/via \w+ \(anthropic request refused\)/);
    const panel = await h.run('/consensus what is 6x7');
    const members = panel.sections?.find((s) => s.title === 'Members')?.text ?? '';
    expect(members).toMatch(/\(Anthropic\): failed: request refused \(HTTP 400\)/);
  });
});
