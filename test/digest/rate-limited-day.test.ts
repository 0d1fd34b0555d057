import { afterEach, describe, expect, it } from 'vitest';
import { startDrivenHarness, type DrivenHarness } from '../helpers/driven-harness.ts';
import { honestDigest } from '../fakes/digest-model.ts';

const START = Date.UTC(2026, 11, 1, 14, 0, 0);
let running: DrivenHarness | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('a digest under a tight vendor limit', () => {
  it('GIVEN one key allowing 1 request a minute and a day of 9 chunks THEN the map calls wait their turn past the 2 minutes a chat answer would, and every part is summarised', async () => {
    running = await startDrivenHarness(START, (now) => ({ openai: { now, rateLimit: { requests: 1, windowMs: 60_000 }, respond: honestDigest } }));
    const { h, clock } = running;
    const channel = {
      platform: 'test',
      workspaceId: 'local',
      channelId: 'C-day',
      time: '09:00',
      timezone: 'UTC',
      enabledAt: START - 86_400_000,
      enabledBy: 'u',
      options: {},
    };
    await h.hive.ctx.digests.channels.put(channel);
    for (let i = 0; i < 1_000; i++) {
      const message = {
        workspaceId: 'local',
        channelId: 'C-day',
        messageId: `m-${i}`,
        authorId: 'U1',
        authorName: 'Alice',
        text: `update ${i}: ${'the deploy pipeline is waiting on review again '.repeat(3)}`,
        at: START - 3_600_000 + i,
      };
      await h.hive.host.capture.observe({ kind: 'message', message });
    }
    const run = await h.hive.ctx.digests.runner.run({ channel, from: START - 86_400_000, to: START, userId: 'digest', title: 'Daily digest' });
    expect(run.kind).toBe('done');
    if (run.kind !== 'done') return;
    expect(run.reply.footer).toMatch(/1,000 messages · (\d+) summary calls \+ 1 merge/);
    expect(run.reply.footer).not.toMatch(/failed to summarise/);
    const maps = Number(/(\d+) summary calls/.exec(run.reply.footer!)![1]);
    expect(maps).toBeGreaterThanOrEqual(5);
    // Paced by the vendor's limit: the whole digest took (virtual) minutes, more than a chat job may wait.
    expect(clock.now() - START).toBeGreaterThan(2 * 60_000);
    // Every 429 was waited out and retried, never a chunk lost (a 1-a-minute key still draws some: see the pacer's learning).
    expect(h.vendors.openai!.rateLimited().total).toBeLessThan(maps * 4);
  }, 60_000);
});
