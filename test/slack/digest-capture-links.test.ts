import { afterEach, describe, expect, it } from 'vitest';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { BOT_USER, CHANNEL, TEAM, USER, startHarness, type Harness } from './harness.ts';
import { channelMessage, digestOn, startCaptureHarness, storedRows, waitForRows } from './digest-capture-helpers.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const settle = () => new Promise((r) => setTimeout(r, 150));
const burst = (x: Harness, prefix: string, n: number, teamId = TEAM) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => x.event(`${prefix}${i}`, { ...channelMessage(`170000100${i}.000100`, `message ${i}`), team: teamId }, { teamId })),
  );

describe('digest permalinks without a call per message', () => {
  it('asks auth.test for the team’s address once, at SLACK_API_URL, however many messages arrive at once', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    const atStart = h.slack.of('auth.test').length;
    await burst(h, 'EvL', 5);
    const rows = await waitForRows(h, (r) => r.length === 5);
    await h.event('EvL9', channelMessage('1700001009.000100', 'later'));
    await waitForRows(h, (r) => r.length === 6);
    expect(rows.map((r) => r.permalink)).toEqual([0, 1, 2, 3, 4].map((i) => `https://acme.slack.com/archives/C0001/p170000100${i}000100`));
    const asked = h.slack.of('auth.test').slice(atStart);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.path).toBe('/api/auth.test');
    expect(h.slack.of('chat.getPermalink')).toHaveLength(0);
  });

  it('stores messages without a permalink when auth.test fails, and does not ask again at once', async () => {
    h = await startCaptureHarness();
    await digestOn(h, CHANNEL);
    const atStart = h.slack.of('auth.test').length;
    h.slack.script('auth.test', { body: { ok: false, error: 'internal_error' } });
    await h.event('EvX1', channelMessage('1700001100.000100', 'first'));
    await waitForRows(h, (r) => r.length === 1);
    await h.event('EvX2', channelMessage('1700001101.000100', 'second'));
    const rows = await waitForRows(h, (r) => r.length === 2);
    expect(rows.map((r) => [r.text, r.permalink])).toEqual([
      ['first', null],
      ['second', null],
    ]);
    expect(h.slack.of('auth.test').slice(atStart)).toHaveLength(1);
    expect(h.logs.some((l) => l.includes('auth.test failed; digest permalinks are left out'))).toBe(true);
  });

  it('links each OAuth workspace on its own host (GovSlack included), with one auth.test per team', async () => {
    const tokenA = fakeSecret('xoxb-', '7000-8000-teamAcapturetokenAA');
    const tokenB = fakeSecret('xoxb-', '7100-8100-teamBcapturetokenBB');
    const oauthCodes = {
      'code-a': { token: tokenA, teamId: 'TA', url: 'https://acme.slack.com/', botUserId: 'UBOTA', botId: 'BBOTA' },
      'code-b': { token: tokenB, teamId: 'TB', url: 'https://agency.slack-gov.com/', botUserId: 'UBOTB', botId: 'BBOTB' },
    };
    h = await startHarness({ oauth: true, slack: { oauthCodes } });
    for (const code of ['code-a', 'code-b']) await install(h, code);
    await digestOn(h, CHANNEL, 'TA');
    await digestOn(h, CHANNEL, 'TB');
    const atStart = h.slack.of('auth.test').length;
    await burst(h, 'EvOA', 3, 'TA');
    await burst(h, 'EvOB', 3, 'TB');
    await h.event('EvOwn', { ...channelMessage('1700002000.000100', 'Hive in B'), user: 'UBOTB', bot_id: 'BBOTB', team: 'TB' }, { teamId: 'TB' });
    const rows = await waitForRows(h, (r) => r.length === 6);
    await settle();
    expect(await storedRows(h)).toHaveLength(6);
    const links = (ws: string) => rows.filter((r) => r.workspace_id === ws).map((r) => r.permalink);
    expect(links('slack:TA')).toEqual([0, 1, 2].map((i) => `https://acme.slack.com/archives/C0001/p170000100${i}000100`));
    expect(links('slack:TB')).toEqual([0, 1, 2].map((i) => `https://agency.slack-gov.com/archives/C0001/p170000100${i}000100`));
    const asked = h.slack.of('auth.test').slice(atStart);
    expect(asked.map((c) => c.token).sort()).toEqual([tokenA, tokenB].sort());
  });
});

describe('capture over Socket Mode', () => {
  it('stores a channel message delivered over the socket', async () => {
    h = await startHarness({ socketMode: true });
    await h.socket!.connected();
    await digestOn(h, CHANNEL);
    const event = channelMessage('1700003000.000100', 'over the socket');
    const payload = { type: 'event_callback', team_id: TEAM, api_app_id: 'AHIVE', event_id: 'EvS1', event_time: 1, event };
    h.socket!.deliver({
      envelope_id: 'env-s1',
      type: 'events_api',
      accepts_response_payload: false,
      payload: { ...payload, authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }] },
    });
    const [row] = await waitForRows(h, (r) => r.length === 1);
    expect([row!.author_id, row!.text, row!.permalink]).toEqual([USER, 'over the socket', 'https://fake.slack.com/archives/C0001/p1700003000000100']);
  });
});

/** Walks /slack/install → Slack's authorize page → /slack/oauth_redirect, carrying the state cookie. */
async function install(x: Harness, code: string): Promise<void> {
  const start = await fetch(`${x.base}/slack/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = authorize.searchParams.get('state')!;
  const done = await fetch(`${x.base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(done.status).toBe(200);
}
