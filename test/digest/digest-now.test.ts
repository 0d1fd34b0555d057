import { describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { DEFAULT_LANES } from '../../src/models/default-lanes.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { CH, WS, idsIn, startDigestBot } from './harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const cheapOpenAI = DEFAULT_LANES.cheap.find((m) => m.vendor === 'openai')!.model;

describe('/digest now', () => {
  it('GIVEN a channel without a digest THEN it says nothing is kept there, and no model is called', async () => {
    const bot = await startDigestBot();
    const reply = await bot.digest('now');
    expect(reply.text).toMatch(/no digest, so Hive keeps none of its messages/);
    expect(reply.visibility).toBe('private');
    expect(bot.fakes.openai!.requests).toHaveLength(0);
  });

  it('GIVEN a digest on but nothing captured THEN it says so without a model call', async () => {
    const bot = await startDigestBot();
    await bot.digest('on 09:00 Europe/Paris');
    const reply = await bot.digest('now');
    expect(reply.text).toMatch(/^No messages were captured in this channel in the last 24 hours .*No model was called\.$/);
    expect(bot.fakes.openai!.requests).toHaveLength(0);
  });

  it('GIVEN captured messages THEN the digest is posted with sections, a source link on every bullet, the exact cost on the cheap lane, and evidence of every call', async () => {
    const bot = await startDigestBot();
    await bot.digest('on');
    await bot.say([
      { text: 'Shall we ship on Friday?', authorName: 'Alice' },
      { text: 'Yes, Friday. Bob, can you write the release notes?', authorName: 'Carol' },
      { text: 'On it.', authorName: 'Bob' },
    ]);
    const reply = await bot.digest('now');
    expect(reply.visibility).toBe('channel');
    expect(reply.sections!.map((s) => s.title)).toEqual(['Decisions', 'Action items']);
    expect(reply.sections![1]!.text).toMatch(/^- Write the release notes — owner: Bob \(\uE001\d+\uE002\)$/);
    const rows = await bot.hive.logs.selectFrom('digest_messages').selectAll().orderBy('at').execute();
    // Every link is a captured message's permalink: the decision cites the first, the action the last.
    expect(reply.links!.map((l) => l.url)).toEqual([rows[0]!.permalink, rows[2]!.permalink]);
    const usage = { ...ZERO_USAGE, inputTokens: 500, outputTokens: 60 };
    expect(reply.footer).toContain(formatUsd(computeCost(builtInPrices, 'openai', cheapOpenAI, usage, { at: new Date() })!.usd));
    expect(reply.footer).toMatch(new RegExp(`^${cheapOpenAI} · cheap \\(digest default\\) · `));
    expect(reply.footer).toContain('3 messages · 1 summary call');
    const evidenceId = /evidence (\w{26})/.exec(reply.footer!)![1]!;
    const record = await bot.hive.evidence.get(evidenceId, WS);
    expect(record).toMatchObject({ command: 'digest', channelId: CH, lane: 'cheap', details: { kind: 'digest', messages: 3, mapCalls: 1, reduceCalls: 0 } });
    expect(record!.calls).toHaveLength(1);
    // The evidence keeps the points and their links, not the channel's messages.
    expect(JSON.stringify(record)).not.toContain('Shall we ship on Friday?');
    expect((record!.details as { cited: string[] }).cited).toEqual([rows[0]!.permalink, rows[2]!.permalink]);
    expect(idsIn(bot.fakes.openai!.requests[0]!)).toEqual(['m1', 'm2', 'm3']);
  });

  it('GIVEN points citing messages not in the input, or owners nobody wrote THEN those points (and owners) are dropped and the footer says so', async () => {
    const bot = await startDigestBot({
      scripts: {
        openai: () => ({
          text: JSON.stringify({
            decisions: [
              { text: 'Invented decision', ids: ['m99'] },
              { text: 'No source at all', ids: [] },
              { text: 'Real decision', ids: ['m1'] },
            ],
            actions: [{ text: 'Deploy', owner: 'Mallory', ids: ['m2'] }],
          }),
          usage: { input: 100, output: 40 },
        }),
      },
    });
    await bot.digest('on');
    await bot.say([{ text: 'We go with Postgres.' }, { text: 'Someone should deploy it.' }]);
    const reply = await bot.digest('now');
    const text = reply.sections!.map((s) => s.text).join('\n');
    expect(text).toContain('Real decision');
    expect(text).not.toContain('Invented');
    expect(text).not.toContain('No source');
    expect(text).toMatch(/- Deploy \(/);
    expect(text).not.toContain('Mallory');
    expect(reply.footer).toContain('2 points without a real source dropped');
  });
});
