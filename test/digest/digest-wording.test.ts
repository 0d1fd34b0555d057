import { describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/money/footer.ts';
import { WS, startDigestBot } from './harness.ts';

describe('/digest replies', () => {
  it('GIVEN every summary call answers in the wrong form THEN the failure says what those calls still cost, as other failed jobs do', async () => {
    const bot = await startDigestBot({ scripts: { openai: () => ({ text: 'not the JSON asked for', usage: { input: 500, output: 60 } }) } });
    await bot.digest('on');
    await bot.say([{ text: 'Shall we ship on Friday?' }, { text: 'Yes.' }]);
    const reply = await bot.digest('now');
    expect(reply.tone).toBe('error');
    const id = /Evidence (\w{26})\./.exec(reply.text)![1]!;
    const record = await bot.hive.evidence.get(id, WS);
    expect(record!.totalCostUsd).toBeGreaterThan(0);
    const calls = record!.calls.length;
    expect(reply.text).toContain(`${calls === 1 ? 'The attempt' : `The ${calls} attempts`} still cost ${formatUsd(record!.totalCostUsd!)}.`);
  });
});

describe('/digest on: consent in the channel', () => {
  it('GIVEN /digest on THEN everyone in the channel reads who turned it on, what is kept, for how long and how to stop it; a schedule change stays private; status says who and when', async () => {
    const bot = await startDigestBot();
    const on = await bot.digest('on 17:30 Europe/Paris');
    expect(on.visibility).toBe('channel');
    expect(on.question).toBe('/digest on 17:30 Europe/Paris');
    expect(on.text).toContain("each person's messages here");
    expect(on.text).toContain(`for ${bot.hive.ctx.digests.retentionHours} hours, then deletes them`);
    expect(on.text).toContain('/digest off');
    const again = await bot.digest('on 18:00');
    expect(again.visibility).toBe('private');
    expect((await bot.digest('status')).text).toMatch(/^Turned on by you on \w{3} \d+ \w{3}/m);
    expect((await bot.digest('status', { member: true })).text).toContain('Turned on by user U0ADMIN on ');
  });
});
