import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../../src/chat/chat-adapter.ts';
import type { CapturedMessage } from '../../src/chat/capture-event.ts';
import type { HistorySource } from '../../src/digest/backfill.ts';
import { CH, WS, startDigestBot } from './harness.ts';
import { until } from '../helpers/until.ts';

/** A platform whose history is `pages` pages of 15 messages, newest first; the read of page `holdAt` waits for `release`. */
function fakeHistory(pages: number, paceMs = 0, holdAt = -1) {
  const reads: (string | undefined)[] = [];
  let release!: () => void;
  const hold = new Promise<void>((r) => (release = r));
  const source: HistorySource = {
    paceMs,
    async read(_t, _since, cursor): Promise<HistoryPage> {
      reads.push(cursor);
      const n = cursor === undefined ? 0 : Number(cursor);
      if (n === holdAt) await hold;
      const messages: CapturedMessage[] = Array.from({ length: 15 }, (_, i) => ({
        workspaceId: WS,
        channelId: CH,
        messageId: `h${n}-${i}`,
        authorId: 'U2',
        authorName: 'Dana',
        text: `old message ${n}/${i}`,
        at: Date.now() - 3_600_000 - (n * 15 + i) * 1000,
      }));
      return { messages, ...(n + 1 < pages ? { next: String(n + 1) } : {}) };
    },
  };
  return { source, reads, release };
}

describe('digest backfill', () => {
  it('GIVEN a backfill cut off by a restart THEN the next process resumes from the saved page, stores nothing twice, and finishes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-backfill-'));
    const a = await startDigestBot({ dataDir });
    await a.digest('on');
    const first = fakeHistory(4, 50, 1);
    a.hive.ctx.digests.backfills.attach((p) => (p === 'slack' ? first.source : undefined));
    expect((await a.digest('backfill')).text).toMatch(/^Backfilling the last 24 hours of this channel/);
    expect((await a.digest('backfill')).text).toMatch(/already under way/);
    // Hive stops while the second page is being read: that page lands, the rest is left.
    await until('the second page read', async () => first.reads.length === 2);
    const stopped = a.hive.ctx.digests.backfills.stop();
    first.release();
    await stopped;
    expect(await a.hive.ctx.digests.backfills.state(WS, CH)).toMatchObject({ pages: 2, cursor: '2', done: false });
    await a.close();
    const b = await startDigestBot({ dataDir });
    const second = fakeHistory(4);
    b.hive.ctx.digests.backfills.attach((p) => (p === 'slack' ? second.source : undefined));
    await until('the resumed backfill to finish', async () => (await b.hive.ctx.digests.backfills.state(WS, CH))?.done === true);
    expect(second.reads).toEqual(['2', '3']); // resumed where it stood, not restarted
    const rows = await b.hive.logs.selectFrom('digest_messages').select('message_id').execute();
    expect(rows).toHaveLength(60);
    expect((await b.digest('status')).text).toContain('Backfill of the day before the digest was turned on: done, ');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('GIVEN a platform that cannot read history here, or a channel without a digest THEN backfill says so', async () => {
    const bot = await startDigestBot();
    expect((await bot.digest('backfill')).text).toMatch(/no digest: turn it on first/);
    await bot.digest('on');
    expect((await bot.digest('backfill')).text).toMatch(/cannot read back a channel's history here/);
  });

  it('GIVEN the digest turned off mid-backfill THEN reading stops', async () => {
    const bot = await startDigestBot();
    await bot.digest('on');
    const h = fakeHistory(50, 30);
    bot.hive.ctx.digests.backfills.attach(() => h.source);
    await bot.digest('backfill');
    await until('two history reads', async () => h.reads.length >= 2);
    await bot.digest('off');
    const after = h.reads.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(h.reads.length).toBeLessThanOrEqual(after + 1);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
  });
});
