import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, type DiscordRequest, type FakeDiscord } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, MANAGE_GUILD, isCallback, isEdit, startDiscord, type DiscordHarness, textOf } from './harness.ts';

const ASKER = '300000000000000011';
const BOB = '300000000000000012';
const CAROL = '300000000000000013';
const GONE = '300000000000000014';
const ADMIN = '300000000000000015';
const DAVE = '300000000000000016';
const PRIVATE = '400000000000000004';
const VIEW_CHANNEL = '1024';

/** Everyone sees #general; only Carol (and the asker, by a member overwrite) see the private channel. */
const guild = {
  everyone: VIEW_CHANNEL,
  members: { [ASKER]: [], [BOB]: [], [CAROL]: [], [ADMIN]: [], [DAVE]: [] },
  channels: [
    {
      id: PRIVATE,
      name: 'private',
      overwrites: [
        { id: GUILD, type: 0 as const, allow: '0', deny: VIEW_CHANNEL },
        { id: CAROL, type: 1 as const, allow: VIEW_CHANNEL, deny: '0' },
        { id: ASKER, type: 1 as const, allow: VIEW_CHANNEL, deny: '0' },
      ],
    },
  ],
};

const allowedMentions = (r: DiscordRequest) =>
  (r.body?.['data'] as { allowed_mentions?: unknown } | undefined)?.allowed_mentions ?? r.body?.['allowed_mentions'];
const content = (r: DiscordRequest) => (r.body?.['data'] as { content?: string } | undefined)?.content ?? textOf(r.body);

async function askIn({ discord, hive }: DiscordHarness, channelId: string, question: string): Promise<string> {
  const { token } = discord.interaction({
    name: 'ask',
    guildId: GUILD,
    channelId,
    userId: ASKER,
    options: [
      { name: 'question', type: 3, value: question },
      { name: 'model', type: 3, value: 'openai:gpt-6-luna' },
    ],
  });
  const edit = await discord.waitFor((r) => isEdit(token)(r) && /evidence \w{26}/.test(content(r)));
  const id = /evidence (\w{26})/.exec(content(edit))![1]!;
  // The record's write is batched with the job's booking: wait until it is readable.
  for (let i = 0; i < 200 && !(await hive.evidence.get(id, `discord:${GUILD}`)); i++) await new Promise((r) => setTimeout(r, 10));
  return id;
}

/** `/hive <sub> <args>` as `userId` in #general; resolves with the private messages of the reply so far, joined. */
async function hive(discord: FakeDiscord, sub: string, args: string, userId: string, o: { permissions?: string; until?: string } = {}): Promise<string> {
  const { id, token } = discord.interaction({
    name: 'hive',
    guildId: GUILD,
    channelId: CHANNEL,
    userId,
    permissions: o.permissions ?? '0',
    options: [{ name: sub, type: 1, value: '', options: [{ name: 'args', type: 3, value: args }] }],
  });
  const followUp = (r: DiscordRequest) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${token}`;
  const ours = (r: DiscordRequest) => isCallback(id, token)(r) || followUp(r);
  await discord.waitFor(isCallback(id, token));
  // A long reply continues in follow-ups: wait for the part that should hold `until`.
  if (o.until !== undefined) await discord.waitFor((r) => ours(r) && content(r).includes(o.until!));
  return discord.requests.filter(ours).map(content).join('\n');
}

describe('Discord: who sees evidence and spend', () => {
  it('shows a private channel’s evidence to its asker, an admin and who can view the channel; others get the words of an unknown id', async () => {
    const h = await startDiscord({ guild });
    const { discord } = h;
    const id = await askIn(h, PRIVATE, 'the secret launch plan');
    expect(await hive(discord, 'evidence', id, ASKER, { until: 'the secret launch plan' })).toContain('the secret launch plan');
    expect(await hive(discord, 'evidence', id, ADMIN, { permissions: MANAGE_GUILD, until: 'the secret launch plan' })).toContain('the secret launch plan');
    expect(await hive(discord, 'evidence', id, CAROL, { until: 'the secret launch plan' })).toContain('the secret launch plan');
    const bob = await hive(discord, 'evidence', id, BOB);
    expect(bob).toContain(`Evidence ${id} cannot be shown here.`);
    expect(bob).toContain('the person who asked and members with the Manage Server permission can see it anywhere');
    expect(bob).not.toContain('secret');
    const unknown = '01JD0000000000000000000000';
    expect(await hive(discord, 'evidence', unknown, BOB)).toBe(bob.replaceAll(id, unknown));
    expect(await hive(discord, 'evidence', id, GONE)).toBe(bob);
  });

  it('shows a private thread’s evidence to its members, not to everyone who can view its channel', async () => {
    const h = await startDiscord({ guild });
    const { discord } = h;
    const thread = discord.privateThread(CHANNEL, [ASKER, DAVE]);
    const id = await askIn(h, thread, 'the thread-only plan');
    expect(await hive(discord, 'evidence', id, DAVE, { until: 'the thread-only plan' })).toContain('the thread-only plan');
    const bob = await hive(discord, 'evidence', id, BOB);
    expect(bob).toContain(`Evidence ${id} cannot be shown here.`);
    expect(bob).not.toContain('thread-only');
  });

  it('shows a public channel’s evidence to anyone who can view it', async () => {
    const h = await startDiscord({ guild });
    const { discord } = h;
    const id = await askIn(h, CHANNEL, 'what is six times seven');
    expect(await hive(discord, 'evidence', id, BOB, { until: 'what is six times seven' })).toContain('what is six times seven');
  });

  it('shows a member the totals and their own spend; spend by user and channel only to admins', async () => {
    const h = await startDiscord({ guild });
    const { discord } = h;
    await askIn(h, PRIVATE, 'question one');
    const bob = await hive(discord, 'usage', '', BOB);
    expect(bob).toMatch(/By model/);
    expect(bob).toMatch(/You\W*: nothing in this period/);
    expect(bob).not.toContain(ASKER);
    expect(bob).not.toContain(PRIVATE);
    expect(await hive(discord, 'usage', '', ASKER)).toMatch(/You\W*: \$0\.0000/);
    expect(await hive(discord, 'usage', '', ADMIN, { permissions: MANAGE_GUILD })).toMatch(
      new RegExp(`By user[\\s\\S]*<@${ASKER}>[\\s\\S]*By channel[\\s\\S]*<#${PRIVATE}>`),
    );
    // Shown by name, yet no one is pinged: the reply allows no mentions.
    const breakdown = discord.requests.filter((r) => content(r).includes('By user'));
    expect(breakdown.length).toBeGreaterThan(0);
    for (const r of breakdown) expect(allowedMentions(r)).toEqual({ parse: [] });
  });

  it('names the asker and channel of an evidence record as mentions that ping no one', async () => {
    const h = await startDiscord({ guild });
    const id = await askIn(h, PRIVATE, 'who asked this');
    const text = await hive(h.discord, 'evidence', id, ADMIN, { permissions: MANAGE_GUILD, until: 'who asked this' });
    expect(text).toContain(`by <@${ASKER}> in <#${PRIVATE}>`);
    const record = h.discord.requests.filter((r) => content(r).includes(`by <@${ASKER}>`));
    expect(record.length).toBeGreaterThan(0);
    for (const r of record) expect(allowedMentions(r)).toEqual({ parse: [] });
  });
});
