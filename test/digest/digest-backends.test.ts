import { afterAll, describe, expect, it } from 'vitest';
import { logBackends } from '../store/log-backends.ts';
import { CH, WS, startDigestBot } from './harness.ts';

const backends = logBackends();
afterAll(async () => {
  for (const b of backends) await b.close();
});

describe.each(backends.map((b) => [b.name, b] as const))('digest storage on %s', (_name, backend) => {
  it('GIVEN the capture, a digest and its day THEN every statement works alike: duplicates ignored, edits and deletes applied, claims single, off deletes', async () => {
    const bot = await startDigestBot({ databaseUrl: await backend.url() });
    expect(bot.hive.config.databaseUrl.split(':')[0]).toBe(backend.name);
    await bot.digest('on');
    await bot.say([
      { text: 'first', messageId: '1.1' },
      { text: 'second', messageId: '1.2' },
    ]);
    await bot.say([{ text: 'first again', messageId: '1.1' }]);
    await bot.hive.host.capture.observe({ kind: 'edit', workspaceId: WS, channelId: CH, messageId: '1.2', text: 'second, edited' });
    await bot.say([{ text: 'third', messageId: '1.3' }]);
    await bot.hive.host.capture.observe({ kind: 'delete', workspaceId: WS, channelId: CH, messageId: '1.3' });
    const rows = await bot.hive.logs.selectFrom('digest_messages').select(['message_id', 'text', 'edited']).orderBy('message_id').execute();
    expect(rows.map((r) => [r.message_id, r.text, Number(r.edited)])).toEqual([
      ['1.1', 'first', 0],
      ['1.2', 'second, edited', 1],
    ]);
    const reply = await bot.digest('now');
    expect(reply.links).toHaveLength(2);
    expect((await bot.digest('status')).text).toContain('Captured: 2 messages since');
    const runs = bot.hive.ctx.digests.runs;
    const claims = await Promise.all(['a', 'b', 'c'].map((o) => runs.claim(WS, CH, '2026-12-01', o, 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const owner = ['a', 'b', 'c'][claims.indexOf(true)]!;
    await runs.renew(WS, CH, '2026-12-01', owner, 60_000);
    expect(await runs.posting(WS, CH, '2026-12-01', 'nobody')).toBe(false);
    expect(await runs.posting(WS, CH, '2026-12-01', owner)).toBe(true);
    await runs.finish(WS, CH, '2026-12-01', owner, { status: 'posted', evidenceId: 'E1', costNano: 42 });
    expect(await runs.statusOf(WS, CH, '2026-12-01')).toBe('posted');
    expect(await runs.last(WS, CH)).toMatchObject({ day: '2026-12-01', status: 'posted', evidenceId: 'E1' });
    await bot.digest('off');
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    expect(await bot.hive.ctx.digests.messages.sweep()).toBe(0);
  });

  it('GIVEN off, on and off --forget THEN off keeps the settings and no message, on keeps them, and forget deletes the row', async () => {
    const bot = await startDigestBot({ databaseUrl: await backend.url() });
    const channels = bot.hive.ctx.digests.channels;
    await bot.digest('on 07:30 Europe/Paris');
    for (const o of ['lane deep', 'length 7', 'quiet skip']) await bot.digest(`set ${o}`);
    await bot.say([{ text: 'kept while on' }]);
    await bot.digest('off');
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    expect([await channels.list(), await channels.get(WS, CH), await channels.isOn(WS, CH)]).toEqual([[], undefined, false]);
    expect((await channels.kept(WS, CH))?.offAt).toEqual(expect.any(Number));
    await bot.say([{ text: 'said while off' }]);
    expect(await bot.hive.logs.selectFrom('digest_messages').selectAll().execute()).toEqual([]);
    expect((await bot.digest('on')).visibility).toBe('channel');
    const on = await channels.get(WS, CH);
    expect(on).toMatchObject({ time: '07:30', timezone: 'Europe/Paris', options: { lane: 'deep', maxBullets: 7, quietDays: 'skip' } });
    expect(on?.offAt).toBeUndefined();
    expect(await channels.list()).toHaveLength(1);
    await bot.digest('off --forget');
    expect(await bot.hive.logs.selectFrom('digest_channels').selectAll().execute()).toEqual([]);
  });
});
