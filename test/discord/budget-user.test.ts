import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, type DiscordRequest, type FakeDiscord } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, MANAGE_GUILD, isCallback, startDiscord, textOf } from './harness.ts';

const ADMIN = '300000000000000015';
const BOB = '300000000000000012';

const body = (r: DiscordRequest) => (r.body?.['data'] as Record<string, unknown> | undefined) ?? r.body ?? {};
const content = (r: DiscordRequest) => textOf(body(r));

/** `/hive budget <args>` as an admin in #general; resolves with the reply's requests. */
async function budget(discord: FakeDiscord, args: string, userId = ADMIN): Promise<DiscordRequest[]> {
  const { id, token } = discord.interaction({
    name: 'hive',
    guildId: GUILD,
    channelId: CHANNEL,
    userId,
    permissions: userId === ADMIN ? MANAGE_GUILD : '0',
    options: [{ name: 'budget', type: 1, value: '', options: [{ name: 'args', type: 3, value: args }] }],
  });
  await discord.waitFor(isCallback(id, token));
  const followUp = (r: DiscordRequest) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${token}`;
  return discord.requests.filter((r) => isCallback(id, token)(r) || followUp(r));
}

describe('Discord: /hive budget user', () => {
  it('GIVEN a mention THEN the budget is set and the reply names them by a mention that pings no one', async () => {
    const { discord, hive } = await startDiscord({ guild: { members: { [ADMIN]: [], [BOB]: [] } } });
    const reply = await budget(discord, `user <@${BOB}> 5`);
    expect(reply.map(content).join('\n')).toContain(`<@${BOB}>'s own monthly budget is now $5.00`);
    for (const r of reply) expect(body(r)['allowed_mentions']).toEqual({ parse: [] });
    expect((await hive.ctx.settings.get(`discord:${GUILD}`)).budgets?.users).toEqual({ [BOB]: 5 });
    await budget(discord, 'channel 4');
    const status = (await budget(discord, '')).map(content).join('\n');
    expect(status).toContain(`Users with their own budget: <@${BOB}> $5.00`);
    expect(status).toContain(`Channels with their own budget: <#${CHANNEL}> $4.00`);
    // Whose budgets are what is for admins: a member sees their own.
    const member = (await budget(discord, '', BOB)).map(content).join('\n');
    expect(member).toContain('Budgets (UTC month)');
    expect(member).not.toMatch(/own budget/);
  });

  it('GIVEN a bare name THEN it is refused with what to give instead, and no budget is set', async () => {
    const { discord, hive } = await startDiscord();
    const text = (await budget(discord, 'user bob 5')).map(content).join('\n');
    expect(text).toContain('"bob" is not a user id. Give a mention, or their user id.');
    expect((await hive.ctx.settings.get(`discord:${GUILD}`)).budgets?.users).toBeUndefined();
  });
});
