import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const openaiOnly = () => startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 10, output: 2 } }) } });
const settings = (h: Harness) => h.hive.ctx.settings.get('local');

describe('/hive budget parses plain dollar amounts only', () => {
  it.each(['$', '0x10', '-0', '-5', '+5', '1e3', 'Infinity', '$Infinity', 'NaN', '5.', '.5', '1,000', '1_000', '$$5', '5$', '１２', '0b11'])(
    'GIVEN "%s" THEN it is refused with the usage and no cap is set',
    async (amount) => {
      h ??= await openaiOnly();
      const r = await h.run(`/hive budget workspace ${amount}`);
      expect(r.tone).toBe('error');
      expect(r.text).toMatch(/is not an amount in USD: write a plain number such as 25 or \$12\.50[\s\S]*Usage: \/hive budget/);
      expect((await settings(h)).budgets?.workspaceUsd).toBeUndefined();
    },
  );

  it('GIVEN amounts in range THEN they are set, and the range is explained when one is too large', async () => {
    h = await openaiOnly();
    expect((await h.run('/hive budget workspace $12.50')).text).toMatch(/^The workspace monthly budget is now \$12\.50\./);
    expect((await h.run('/hive budget workspace 007')).text).toMatch(/is now \$7\.00\./);
    expect((await h.run('/hive budget workspace 1000000.00')).tone).not.toBe('error');
    const big = await h.run('/hive budget workspace 1000000.01');
    expect(big.text).toMatch(/"1000000\.01" is more than this takes: give an amount from \$0 to \$1,000,000, or "off"/);
    expect((await settings(h)).budgets?.workspaceUsd).toBe(1_000_000);
    expect((await h.run(`/hive budget workspace 0.${'0'.repeat(320)}1`)).text).toMatch(/has more than 6 decimal places; round it/);
    expect((await h.run('/hive budget confirm 0.000005')).text).toMatch(/more than \$0\.0000050 now ask/);
    expect((await h.run('/hive budget workspace 5 please')).text).toMatch(/Unexpected "please" at the end\.\nUsage:/);
    expect((await h.run('/hive budget workspace OFF')).text).toMatch(/^The workspace monthly budget is off: no cap\./);
  });

  it('GIVEN a $0 cap THEN the status says it blocks every paid call, never a NaN percentage', async () => {
    h = await openaiOnly();
    const r = await h.run('/hive budget workspace 0');
    expect(r.text).toMatch(/^The workspace monthly budget is now \$0\.00: every paid call is blocked\./);
    expect(r.text).toContain('Workspace: $0.00 this month · cap $0.00 (blocks every paid call)');
    expect(r.text).not.toMatch(/NaN|Infinity/);
    await h.run('/hive budget channel 4');
    expect((await h.run('/hive budget')).text).toContain('This channel: $0.00 this month · cap $4.00 (0%)');
  });

  it('GIVEN confirm off or an amount THEN the reply says what now needs confirmation', async () => {
    h = await openaiOnly();
    expect((await h.run('/hive budget confirm 0.25')).text).toMatch(/^Jobs that could cost more than \$0\.25 now ask for confirmation first\./);
    const off = await h.run('/hive budget confirm off');
    expect(off.text).toMatch(/^Jobs no longer ask for confirmation, whatever they could cost\./);
    expect(off.text).not.toMatch(/more than off/);
    expect((await settings(h)).confirmAboveUsd).toBeUndefined();
  });
});

describe('/hive lanes limits validates every field', () => {
  it.each([
    ['rpm=1e308', /rpm \(requests per minute\) takes a whole number from 1 to 1,000,000; "1e308" is not one/],
    ['rpm=2000000', /from 1 to 1,000,000; "2000000"/],
    ['rpm=0', /from 1 to 1,000,000; "0"/],
    ['rpm=-3', /"-3" is not one/],
    ['rpm=0x10', /"0x10" is not one/],
    ['rpm=', /"" is not one/],
    ['concurrency=5000', /concurrency \(calls at once\) takes a whole number from 1 to 1,000/],
    ['periodMs=200', /"periodMs=200" is not a limit: write name=number, where name is one of rpm, itpm, otpm, tpm, concurrency/],
    ['burst=3', /"burst=3" is not a limit/],
    ['rpm', /"rpm" is not a limit/],
    ['rpm=5 rpm=6', /rpm is given twice/],
    ['', /Say which limits to change, e\.g\. `rpm=60 concurrency=4`/],
  ])('GIVEN "limits openai %s" THEN it is refused with the usage and nothing changes', async (pairs, why) => {
    h ??= await openaiOnly();
    const r = await h.run(`/hive lanes limits openai ${pairs}`);
    expect(r.tone).toBe('error');
    expect(r.text).toMatch(why);
    expect(r.text).toContain('Usage: /hive lanes');
    expect((await settings(h)).vendorLimits).toBeUndefined();
  });

  it('GIVEN valid limits THEN the reply says what changed, field by field, and the lane uses them', async () => {
    h = await openaiOnly();
    const r = await h.run('/hive lanes limits OpenAI rpm=60 CONCURRENCY=8 itpm=1000');
    expect(r.text).toMatch(/^openai limits: rpm 500 → 60, itpm not enforced → 1,000, concurrency 8 \(unchanged\)\./);
    expect(r.text).toContain('Vendor pace openai: rpm 60, itpm 1,000, tpm 200,000, concurrency 8 per model');
    expect((await h.run('/hive lanes limits openai rpm=61')).text).toMatch(/^openai limits: rpm 60 → 61\./);
  });
});

describe('/hive lanes reset', () => {
  it('GIVEN custom lanes, defaults, judge and vendor limits THEN reset restores every one, reconfigures the lanes and says what it reset', async () => {
    h = await openaiOnly();
    for (const line of [
      '/hive lanes set cheap openai:gpt-6.2-sol',
      '/hive lanes default deep',
      '/hive lanes channel cheap',
      '/hive lanes judge openai:gpt-6.2-sol',
      '/hive lanes limits openai rpm=7 concurrency=2',
    ]) {
      expect((await h.run(line)).tone).not.toBe('error');
    }
    await h.run('/hive lanes channel balanced', { channelId: 'C-other' });
    const r = await h.run('/hive lanes reset');
    expect(r.text).toMatch(
      /^Reset to the defaults: the models of every lane \(cheap, balanced, deep\), the workspace default lane, this channel's lane, the consensus judge, and the rate limits Hive paces every vendor's key by \(anthropic, openai, google\)\. Other channels keep their own lanes\./,
    );
    const s = await settings(h);
    expect([s.lanes, s.defaultLane, s.consensusJudge, s.vendorLimits, s.channelLanes?.['C-test']]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(s.channelLanes?.['C-other']).toBe('balanced');
    expect(h.hive.ctx.pacer.stats('local', 'openai').limits).toMatchObject({ rpm: 500, concurrency: 8 });
    expect(r.text).toContain('Vendor pace openai: rpm 500, tpm 200,000, concurrency 8 per model');
    expect(r.text).toContain('Default lane: automatic');
    expect(r.text).toContain('Consensus judge: automatic');
  });

  it("GIVEN a lane name THEN only that lane's models are reset", async () => {
    h = await openaiOnly();
    await h.run('/hive lanes set cheap openai:gpt-6.2-sol');
    await h.run('/hive lanes limits openai rpm=7');
    expect((await h.run('/hive lanes reset Cheap')).text).toMatch(/^Reset the cheap lane's models to the defaults\./);
    const s = await settings(h);
    expect(s.lanes?.cheap).toBeUndefined();
    expect(s.vendorLimits?.openai?.rpm).toBe(7);
  });
});

describe('/hive evidence', () => {
  it('GIVEN something that is not an evidence id THEN it is refused without a lookup and echoed only in part', async () => {
    h = await openaiOnly();
    const r = await h.run(`/hive evidence ${'a'.repeat(100_000)}`);
    expect(r.text).toMatch(
      /^"a{40}…" is not an evidence id: copy the 26 letters and digits after "evidence" at the end of a footer\.\nUsage: \/hive evidence <id>$/,
    );
    expect((await h.run('/hive evidence 01jd0000000000000000000000')).text).toMatch(/^Evidence 01JD0000000000000000000000 cannot be shown here\./);
  });
});
