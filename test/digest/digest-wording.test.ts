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
