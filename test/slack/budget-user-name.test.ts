import { afterEach, describe, expect, it } from 'vitest';
import { blockTexts, CHANNEL, TEAM, startHarness, type Harness } from './harness.ts';

const ADMIN = 'U0ADMIN';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Runs `/hive <text>` as the admin and returns the private reply's text. */
async function hive(h: Harness, text: string): Promise<string> {
  const url = h.slack.responseUrl(`r-${Math.random()}`);
  await h.slash(text, { command: '/hive', userId: ADMIN, channelId: CHANNEL, responseUrl: url });
  const path = new URL(url).pathname;
  await h.slack.waitFor(() => h.slack.of('response_url').some((c) => c.path === path));
  const r = h.slack.of('response_url').find((c) => c.path === path)!;
  return [String(r.body.text ?? ''), ...blockTexts(r.body)].join('\n');
}

describe('Slack: /hive budget user with a typed @name', () => {
  it('GIVEN @bob as Slack sends it (plain text) THEN the one person of that name gets the budget; unknown and shared names are refused', async () => {
    h = await startHarness({
      slack: {
        users: {
          [ADMIN]: { is_admin: true, name: 'ada' },
          U0BOB: { name: 'bob', display_name: 'Bob B' },
          U0SAM1: { name: 'sam.one', display_name: 'sam' },
          U0SAM2: { name: 'sam.two', display_name: 'Sam' },
          U0GONE: { name: 'gone', deleted: true },
        },
      },
    });
    expect(await hive(h, 'budget user @bob 0')).toContain("<@U0BOB>'s own monthly budget");
    expect(await hive(h, 'budget user @Bob B 0')).toMatch(/Unexpected "B 0"|not an amount/);
    expect(await hive(h, 'budget user @nobody 5')).toContain('No one in this workspace is called @nobody');
    expect(await hive(h, 'budget user @gone 5')).toContain('No one in this workspace is called @gone');
    expect(await hive(h, 'budget user @sam 5')).toContain('2 people are called @sam (U0SAM1, U0SAM2)');
    expect(await hive(h, 'budget user <@U0SAM1|sam.one> 7')).toContain("<@U0SAM1>'s own monthly budget");
    // A bare word is a name, never an id: Slack's ids are U… or W….
    expect(await hive(h, 'budget user bob 5')).toContain('"bob" is not a user id. Give @bob to find them by name, a mention, or their user id.');
    expect(await hive(h, 'budget user U0CAROL 3')).toContain("<@U0CAROL>'s own monthly budget is now $3.00");
    expect((await h.hive.ctx.settings.get(`slack:${TEAM}`)).budgets?.users).toEqual({ U0BOB: 0, U0SAM1: 7, U0CAROL: 3 });
    // An admin's status names who has a budget of their own.
    expect(await hive(h, 'budget')).toContain('Users with their own budget: <@U0BOB> $0.00 · <@U0CAROL> $3.00 · <@U0SAM1> $7.00');
    // The member list is read once and reused.
    expect(h.slack.of('users.list')).toHaveLength(1);
  });
});
