import { afterEach, describe, expect, it } from 'vitest';
import { renderUsage } from '../../commands/hive-usage.ts';
import type { Bucket, UsageSummary } from '../../src/money/ledger.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bucket = (usd: number, calls: number): Bucket => ({ usd, calls, inputTokens: 10 * calls, outputTokens: 5 * calls, unpriced: 0, stopped: 0 });

/** A month with calls on two lanes and some booked before lanes were recorded. */
const summary: UsageSummary = {
  from: '2026-11-01',
  to: '2026-11-30',
  total: bucket(6, 6),
  byModel: { 'openai:gpt-6-luna': bucket(6, 6) },
  byVendor: { openai: bucket(6, 6) },
  byUser: { U1: bucket(4, 4), U2: bucket(2, 2) },
  byChannel: { C1: bucket(6, 6) },
  byLane: { cheap: bucket(1, 3), deep: bucket(4, 2), unrecorded: bucket(1, 1) },
  byRoute: { 'auto: short question': bucket(1, 3), '--deep': bucket(4, 2), unrecorded: bucket(1, 1) },
};

describe('/hive usage by lane', () => {
  it('GIVEN a summary THEN a By lane section follows By vendor, largest spend first, for admins and members alike', () => {
    const lanes = ['*By lane*', '• deep: $4.00 · 2 calls · 20→10 tok', '• cheap: $1.00 · 3 calls · 30→15 tok', '• unrecorded: $1.00 · 1 call · 10→5 tok'];
    const admin = renderUsage(summary).split('\n');
    const at = admin.indexOf('*By lane*');
    expect(admin.slice(at, at + 4)).toEqual(lanes);
    expect(admin[at - 1]).toBe('• openai: $6.00 · 6 calls · 60→30 tok');
    expect(admin[at + 4]).toBe('*By user*');
    const member = renderUsage(summary, { memberId: 'U2' }).split('\n');
    expect(member.slice(member.indexOf('*By lane*'), member.indexOf('*By lane*') + 4)).toEqual(lanes);
    expect(member[member.indexOf('*By lane*') + 4]).toBe('*You*: $2.00 · 2 calls · 20→10 tok');
  });

  it('GIVEN answers on two lanes THEN /hive usage counts each lane’s calls', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 50, output: 10 } }) } });
    await h.run('/ask --cheap hello');
    await h.run('/ask --cheap hello again');
    await h.run('/ask --balanced explain our deploy pipeline');
    const text = (await h.run('/hive usage day')).text;
    expect(text).toMatch(/\*By vendor\*\n• openai: [^\n]+\n\*By lane\*\n(• (cheap: \$[\d.]+ · 2 calls|balanced: \$[\d.]+ · 1 call) [^\n]+\n){2}\*By user\*/);
  });
});
