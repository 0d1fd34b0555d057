import { describe, expect, it } from 'vitest';
import type { FakeRequest } from '../fakes/fake-vendor.ts';
import { honestDigest, idsIn, startDigestBot } from './harness.ts';

const isMerge = (r: FakeRequest) => r.lastUserText.includes('part 1:');

describe('digest of a very busy day', () => {
  it('GIVEN 10,000 messages THEN map calls within the token budget are spread over the vendors, one merge makes the digest, and every link is a captured message', async () => {
    const bot = await startDigestBot({ scripts: { openai: honestDigest, anthropic: honestDigest }, realSleep: true });
    await bot.digest('on');
    const start = Date.now() - 20 * 3_600_000;
    const messages = Array.from({ length: 10_000 }, (_, i) => ({
      text: `message ${i}: the build on branch ${i % 40} is ${i % 3 === 0 ? 'green' : 'red'} again`,
      authorName: `user${i % 25}`,
      at: start + i * 7_000,
    }));
    await bot.say(messages);
    const reply = await bot.digest('now');
    const calls = [...bot.fakes.openai!.requests, ...bot.fakes.anthropic!.requests].filter((r) => r.model);
    const maps = calls.filter((r) => !isMerge(r));
    expect(calls.filter(isMerge)).toHaveLength(1);
    // Every message went to exactly one map call, in order, and no call was over the budget.
    const seen = maps.flatMap(idsIn).sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)));
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, i) => `m${i + 1}`));
    for (const m of maps) expect(m.lastUserText.length / 4).toBeLessThan(6_000 * 1.2);
    expect(maps.length).toBeGreaterThan(10);
    expect(bot.fakes.openai!.requests.filter((r) => r.model).length).toBeGreaterThan(0);
    expect(bot.fakes.anthropic!.requests.filter((r) => r.model).length).toBeGreaterThan(0);
    expect(reply.footer).toContain(`10,000 messages · ${maps.length} summary calls + 1 merge`);
    const permalinks = new Set((await bot.hive.logs.selectFrom('digest_messages').select('permalink').execute()).map((r) => r.permalink));
    expect(reply.links!.length).toBeGreaterThan(0);
    for (const l of reply.links!) expect(permalinks.has(l.url)).toBe(true);
  }, 120_000);
});
