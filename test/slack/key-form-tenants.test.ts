import { afterEach, describe, expect, it } from 'vitest';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { KEY, KEY_B, modelCalls, startHarness, type Harness } from './harness.ts';

const TOKEN_A = fakeSecret('xoxb-', '3000-4000-teamAoauthtokenAAAA');
const TOKEN_B = fakeSecret('xoxb-', '5000-6000-teamBoauthtokenBBBB');
const oauthCodes = {
  'code-a': { token: TOKEN_A, teamId: 'TA', teamName: 'Acme', botUserId: 'UBOTA', botId: 'BBOTA' },
  'code-b': { token: TOKEN_B, teamId: 'TB', teamName: 'Bravo', botUserId: 'UBOTB', botId: 'BBOTB' },
};
const ADMIN_B = 'UADMINB';
const MEMBER_B = 'UMEMBERB';
/** Well-formed as a key, so the vendor is asked, and refused by it. */
const REFUSED = 'Kubernetes-password-reset-runbook';
/** A piece of B's stored key without any vendor shape: only the registry can know it. */
const PIECE_OF_B = KEY_B.slice(8);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function install(x: Harness, code: string): Promise<void> {
  const start = await fetch(`${x.base}/slack/install`, { redirect: 'manual' });
  const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
  const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
  const done = await fetch(`${x.base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
  expect(done.status).toBe(200);
}

function submission(teamId: string, userId: string, key: string): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: teamId, domain: teamId.toLowerCase() },
    user: { id: userId, username: userId, name: userId, team_id: teamId },
    api_app_id: 'AHIVE',
    token: 'deprecated',
    trigger_id: `trigger.submit.${userId}.${key.length}.${Math.random().toString(36).slice(2)}`,
    is_enterprise_install: false,
    response_urls: [],
    view: {
      id: `V${teamId}`,
      team_id: teamId,
      type: 'modal',
      callback_id: 'hive_keys',
      private_metadata: JSON.stringify({ channel: 'C0001' }),
      hash: 'h1',
      title: { type: 'plain_text', text: 'Hive keys' },
      blocks: [],
      state: {
        values: {
          vendor: { vendor: { type: 'static_select', selected_option: { value: 'openai', text: { type: 'plain_text', text: 'openai' } } } },
          key: { key: { type: 'plain_text_input', value: key } },
        },
      },
    },
  };
}

/** Asks in a workspace and returns what its asker saw: the posted answer, or the private refusal. */
async function ask(x: Harness, teamId: string, question: string): Promise<{ answered: boolean; text: string }> {
  const before = { posts: x.slack.of('chat.postMessage').length, privately: x.slack.of('response_url').length };
  await x.slash(question, { teamId });
  await x.slack.waitFor(() => x.slack.of('chat.postMessage').length > before.posts || x.slack.of('response_url').length > before.privately);
  const post = x.slack.of('chat.postMessage')[before.posts];
  return post
    ? { answered: true, text: JSON.stringify(post.body) }
    : { answered: false, text: String(x.slack.of('response_url')[before.privately]!.body.text) };
}

describe('Slack: a key form submitted in one workspace', () => {
  it('GIVEN a member and an admin of B submitting words, a refused key and a good key THEN A asks about the same words as before, and only B refuses its own key', async () => {
    h = await startHarness({ oauth: true, slack: { oauthCodes, users: { [ADMIN_B]: { is_admin: true } } } });
    await install(h, 'code-a');
    await install(h, 'code-b');
    await h.hive.keys.register('slack:TA', 'openai', KEY, { verify: false });

    const typed = ['the meeting', 'Kubernetes', 'password reset'];
    const outcomes: string[] = [];
    for (const text of [...typed, REFUSED]) outcomes.push(String((await h.interact(submission('TB', MEMBER_B, text))).text));
    for (const text of [...typed, REFUSED]) outcomes.push(String((await h.interact(submission('TB', ADMIN_B, text))).text));
    expect(outcomes.slice(0, 4).every((o) => o.includes('Only workspace admins'))).toBe(true);
    expect(outcomes.slice(4, 7).every((o) => /contains spaces|does not look like/.test(o))).toBe(true);
    expect(outcomes[7]).toContain('OpenAI rejected this key');
    expect(await h.interact(submission('TB', ADMIN_B, KEY_B))).toMatchObject({ status: 200, text: '' });
    expect(await h.hive.keys.list('slack:TB')).toEqual([expect.objectContaining({ vendor: 'openai', health: 'ok' })]);
    // Never registered as secrets, the typed texts are not logged either.
    expect(h.logs.join('\n')).not.toMatch(new RegExp(`${REFUSED}|${KEY_B}`));

    const questions = ['When is the meeting about Kubernetes?', 'How do I do a password reset?', `What does ${REFUSED} cover?`, `Is ${PIECE_OF_B} a build id?`];
    for (const q of questions) {
      const seen = await ask(h, 'TA', q);
      expect(seen.text).not.toContain('looks like an API key');
      expect(seen.answered).toBe(true);
    }
    expect(modelCalls(h.vendor).map((c) => [c.lastUserText, c.apiKey])).toEqual(questions.map((q) => [q, KEY]));

    // B's own stored key is still kept out of B's questions.
    const own = await ask(h, 'TB', `Is ${PIECE_OF_B} a build id?`);
    expect(own).toMatchObject({ answered: false, text: expect.stringContaining('looks like an API key') });
    expect(own.text).not.toContain(PIECE_OF_B);
  });
});
