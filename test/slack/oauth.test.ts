import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, KEY_B, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

const TOKEN_A = fakeSecret('xoxb-', '3000-4000-teamAoauthtokenAAAA');
const TOKEN_B = fakeSecret('xoxb-', '5000-6000-teamBoauthtokenBBBB');
const oauthCodes = {
  'code-a': { token: TOKEN_A, teamId: 'TA', teamName: 'Acme', botUserId: 'UBOTA', botId: 'BBOTA' },
  'code-b': { token: TOKEN_B, teamId: 'TB', teamName: 'Bravo', botUserId: 'UBOTB', botId: 'BBOTB' },
};

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Walks /slack/install → Slack's authorize page → /slack/oauth_redirect, carrying the state cookie. */
async function install(x: Harness, code: string): Promise<{ authorize: URL; page: string }> {
  const start = await fetch(`${x.base}/slack/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = authorize.searchParams.get('state')!;
  const done = await fetch(`${x.base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(done.status).toBe(200);
  return { authorize, page: await done.text() };
}

function bytesAtRest(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(path.join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('multi-workspace OAuth install', () => {
  it('installs two workspaces whose jobs each run on their own key only, and forgets one on uninstall', async () => {
    h = await startHarness({ oauth: true, sqlite: true, slack: { oauthCodes } });
    const a = await install(h, 'code-a');
    expect(`${a.authorize.origin}${a.authorize.pathname}`).toBe(`${h.slack.origin}/oauth/v2/authorize`);
    expect(a.authorize.searchParams.get('scope')).toContain('commands');
    expect(a.page).toContain('Hive is installed');
    await install(h, 'code-b');
    expect(h.slack.of('oauth.v2.access').map((c) => c.body.code)).toEqual(['code-a', 'code-b']);

    await h.hive.keys.register('slack:TA', 'openai', KEY, { verify: false });
    await h.hive.keys.register('slack:TB', 'openai', KEY_B, { verify: false });
    await h.slash('Question from A', { teamId: 'TA' });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 1);
    await h.slash('Question from B', { teamId: 'TB' });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2);

    const calls = modelCalls(h.vendor);
    expect(calls.map((c) => [c.lastUserText, c.apiKey])).toEqual([
      ['Question from A', KEY],
      ['Question from B', KEY_B],
    ]);
    expect(h.slack.of('chat.postMessage').map((p) => [blockTexts(p.body)[0], p.token])).toEqual([
      ['<@U0001> asked: Question from A', TOKEN_A],
      ['<@U0001> asked: Question from B', TOKEN_B],
    ]);

    const atRest = bytesAtRest(h.dataDir);
    expect(atRest).toContain('team:TA');
    for (const secret of [TOKEN_A, TOKEN_B, KEY, KEY_B]) expect(atRest).not.toContain(secret);

    await h.event('EvUninstallA', { type: 'app_uninstalled' }, { teamId: 'TA' });
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('installation and vendor keys deleted')));
    expect(await h.hive.store.ns('installations').get('team:TA')).toBeUndefined();
    expect(await h.hive.store.ns('installations').get('team:TB')).toBeDefined();
    expect(await h.hive.keys.list('slack:TA')).toEqual([]);
    expect(await h.hive.keys.list('slack:TB')).toHaveLength(1);

    await h.slash('Anyone there?', { teamId: 'TA' });
    await h.slash('Still here?', { teamId: 'TB' });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 3);
    await new Promise((r) => setTimeout(r, 150));
    expect(modelCalls(h.vendor).map((c) => c.apiKey)).toEqual([KEY, KEY_B, KEY_B]);
    expect(h.slack.of('chat.postMessage')).toHaveLength(3);
    expect(h.logs.some((l) => l.includes('Authorization of incoming event did not succeed'))).toBe(true);
    expect(h.slack.of('chat.postMessage').at(-1)!.token).toBe(TOKEN_B);
  });

  it('forgets a workspace whose bot token was revoked', async () => {
    h = await startHarness({ oauth: true, slack: { oauthCodes } });
    await install(h, 'code-a');
    await h.hive.keys.register('slack:TA', 'openai', KEY, { verify: false });
    await h.event('EvRevokedUser', { type: 'tokens_revoked', tokens: { oauth: ['U0001'] } }, { teamId: 'TA' });
    await h.event('EvRevokedBot', { type: 'tokens_revoked', tokens: { bot: ['UBOTA'] } }, { teamId: 'TA' });
    await h.slack.waitFor(() => h!.logs.some((l) => l.includes('installation and vendor keys deleted')));
    expect(await h.hive.store.ns('installations').get('team:TA')).toBeUndefined();
    expect(await h.hive.keys.list('slack:TA')).toEqual([]);
  });

  it('refuses an OAuth callback without the state cookie', async () => {
    h = await startHarness({ oauth: true, slack: { oauthCodes } });
    const start = await fetch(`${h.base}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const res = await fetch(`${h.base}/slack/oauth_redirect?code=code-a&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(400);
    expect(h.slack.of('oauth.v2.access')).toHaveLength(0);
  });
});
