import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type Clock } from '../../src/shared/clock.ts';
import { blockTexts, KEY, TEAM, USER, startHarness, type Harness } from './harness.ts';

const BOB = 'U0BOB';
const CAROL = 'U0CAROL';
const ADMIN = 'U0ADMIN';
const PUBLIC = 'C0001';
const PRIVATE = 'G0002';
const DM = 'D0003';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function start(clock?: Clock): Promise<Harness> {
  return startHarness({
    keys: { [TEAM]: KEY },
    ...(clock ? { clock } : {}),
    slack: {
      users: { [ADMIN]: { is_admin: true } },
      members: { [PUBLIC]: [USER, BOB, CAROL, ADMIN], [PRIVATE]: [USER, CAROL], [DM]: [USER] },
    },
  });
}

/** Runs a slash command as `user` in `channel` and returns the private reply's text. */
async function privately(h: Harness, command: string, text: string, user: string, channel: string): Promise<string> {
  const url = h.slack.responseUrl(`r-${Math.random()}`);
  await h.slash(text, { command, userId: user, channelId: channel, responseUrl: url });
  const path = new URL(url).pathname;
  await h.slack.waitFor(() => h.slack.of('response_url').some((c) => c.path === path));
  const r = h.slack.of('response_url').find((c) => c.path === path)!;
  return [String(r.body.text ?? ''), ...blockTexts(r.body)].join('\n');
}

/** Asks a question as USER in `channel`; returns the answer's evidence id. */
async function askIn(h: Harness, channel: string, question: string): Promise<string> {
  const before = h.slack.of('chat.postMessage').length;
  await h.slash(`--model openai:gpt-6-luna ${question}`, { channelId: channel });
  await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length > before);
  const footer = blockTexts(h.slack.of('chat.postMessage').at(-1)!.body).join('\n');
  const id = /evidence ([0-9A-Z]{26})/.exec(footer)![1]!;
  // The record's write is batched with the job's booking: wait until it is readable.
  for (let i = 0; i < 200 && !(await h.hive.evidence.get(id, `slack:${TEAM}`)); i++) await new Promise((r) => setTimeout(r, 10));
  return id;
}

describe('Slack: who sees evidence and spend', () => {
  it('shows evidence of a private channel to its asker, an admin and its members; others get the words of an unknown id', async () => {
    h = await start();
    const id = await askIn(h, PRIVATE, 'the secret launch plan');
    expect(await privately(h, '/hive', `evidence ${id}`, USER, PUBLIC)).toContain('the secret launch plan');
    expect(await privately(h, '/hive', `evidence ${id}`, ADMIN, PUBLIC)).toContain('the secret launch plan');
    // Carol is in the private channel (Slack says so): she may read it from anywhere.
    expect(await privately(h, '/hive', `evidence ${id}`, CAROL, PUBLIC)).toContain('the secret launch plan');
    const bob = await privately(h, '/hive', `evidence ${id}`, BOB, PUBLIC);
    expect(bob).not.toContain('secret');
    expect(bob).toContain(`Evidence ${id} cannot be shown here.`);
    const unknown = '01JD0000000000000000000000';
    expect(await privately(h, '/hive', `evidence ${unknown}`, BOB, PUBLIC)).toBe(bob.replaceAll(id, unknown));
    expect(h.slack.of('conversations.members').some((c) => c.body.channel === PRIVATE)).toBe(true);
  });

  it('keeps a DM answer to the person in the DM, and reuses a membership answer for a minute of the adapter clock', async () => {
    const clock = createManualClock(1_000_000);
    h = await start(clock);
    const id = await askIn(h, DM, 'my salary question');
    const bob = await privately(h, '/hive', `evidence ${id}`, BOB, DM);
    expect(bob).toContain('cannot be shown here');
    expect(bob).not.toContain('salary');
    await privately(h, '/hive', `evidence ${id}`, BOB, PUBLIC);
    const lookups = () => h!.slack.of('conversations.info').filter((c) => c.body.channel === DM).length;
    expect(lookups()).toBe(1);
    await clock.advance(61_000);
    await privately(h, '/hive', `evidence ${id}`, BOB, PUBLIC);
    expect(lookups()).toBe(2);
  });

  it('shows a public channel answer to a member of that channel', async () => {
    h = await start();
    const id = await askIn(h, PUBLIC, 'what is six times seven');
    expect(await privately(h, '/hive', `evidence ${id}`, BOB, PUBLIC)).toContain('what is six times seven');
  });

  it('shows a member their own spend and the totals; who spent what only to admins', async () => {
    h = await start();
    await askIn(h, PRIVATE, 'question one');
    const bob = await privately(h, '/hive', 'usage', BOB, PUBLIC);
    expect(bob).toMatch(/By model/);
    expect(bob).toMatch(/You[_*]*: nothing in this period/);
    expect(bob).not.toContain(USER);
    expect(bob).not.toContain(PRIVATE);
    expect(bob).not.toMatch(/By user|By channel/);
    const mine = await privately(h, '/hive', 'usage', USER, PUBLIC);
    expect(mine).toMatch(/You[_*]*: \$0\.0000/);
    const admin = await privately(h, '/hive', 'usage', ADMIN, PUBLIC);
    // Slack shows mentions as names; in a reply only the asker sees, they notify no one.
    expect(admin).toMatch(/By user[\s\S]*<@U0001>[\s\S]*By channel[\s\S]*<#G0002>/);
    const breakdowns = h.slack.of('response_url').filter((c) => JSON.stringify(c.body).includes('By user'));
    expect(breakdowns.map((c) => c.body.response_type)).toEqual(['ephemeral']);
  });

  it('names the asker and channel of an evidence record as mentions, in a reply only the reader sees', async () => {
    h = await start();
    const id = await askIn(h, PRIVATE, 'who asked this');
    expect(await privately(h, '/hive', `evidence ${id}`, ADMIN, PUBLIC)).toContain(`by <@${USER}> in <#${PRIVATE}>`);
    const record = h.slack.of('response_url').filter((c) => JSON.stringify(c.body).includes(`<@${USER}>`));
    expect(record.map((c) => c.body.response_type)).toEqual(['ephemeral']);
  });
});
