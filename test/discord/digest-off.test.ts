import { describe, expect, it } from 'vitest';
import { digestOn, until } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, startDiscord } from './harness.ts';

describe('Discord: /digest off and its forget option', () => {
  it('GIVEN /digest off THEN the settings stay; GIVEN /digest off forget:true THEN they are deleted too', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const channels = h.hive.ctx.digests.channels;
    const off = (forget?: boolean) =>
      h.discord.interaction({
        name: 'digest',
        guildId: GUILD,
        channelId: CHANNEL,
        permissions: '32',
        options: [{ name: 'off', type: 1, options: forget === undefined ? [] : [{ name: 'forget', type: 5, value: forget }] }],
      });
    off(false);
    await until('the digest to be off', async () => !(await channels.isOn(`discord:${GUILD}`, CHANNEL)));
    expect((await channels.kept(`discord:${GUILD}`, CHANNEL))?.offAt).toEqual(expect.any(Number));
    off(true);
    await until('the settings to be forgotten', async () => (await channels.kept(`discord:${GUILD}`, CHANNEL)) === undefined);
  }, 30_000);
});
