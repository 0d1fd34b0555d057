import { afterEach, describe, expect, it } from 'vitest';
import { KEY, TEAM, USER, startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const ADMIN = { slack: { users: { [USER]: { is_admin: true } } } } satisfies HarnessOptions;
const REJECTED = 'sk-test-thisKeyIsWellFormedButRevoked';

function submission(key: string, vendor = 'openai', user = USER): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'acme' },
    user: { id: user, username: 'ann', name: 'ann', team_id: TEAM },
    api_app_id: 'AHIVE',
    token: 'deprecated',
    // Slack issues a fresh trigger id with every submission (a repeated one is a replay).
    trigger_id: `trigger.submit.${Math.random().toString(36).slice(2)}`,
    is_enterprise_install: false,
    response_urls: [],
    view: {
      id: 'V0KEYS',
      team_id: TEAM,
      type: 'modal',
      callback_id: 'hive_keys',
      private_metadata: JSON.stringify({ channel: 'C0001' }),
      hash: 'h1',
      title: { type: 'plain_text', text: 'Hive keys' },
      blocks: [],
      state: {
        values: {
          vendor: { vendor: { type: 'static_select', selected_option: { value: vendor, text: { type: 'plain_text', text: vendor } } } },
          key: { key: { type: 'plain_text_input', value: key } },
        },
      },
    },
  };
}

const modelsCalls = (x: Harness) => x.vendor.requests.filter((r) => r.path.endsWith('/models'));

describe('/hive keys modal', () => {
  it('opens the form for a workspace admin with each vendor status', async () => {
    h = await startHarness(ADMIN);
    await h.slash('keys', { command: '/hive', triggerId: 'trigger.open' });
    await h.slack.waitFor(() => h!.slack.of('views.open').length === 1);
    const open = h.slack.of('views.open')[0]!;
    expect(open.body.trigger_id).toBe('trigger.open');
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string; text?: { text: string } }[] };
    expect(view.callback_id).toBe('hive_keys');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['vendor', 'key']);
    expect(view.blocks[0]!.text!.text).toContain('*OpenAI*: not set');
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: 'C0001' });
    expect(h.slack.of('users.info')).toHaveLength(1);
  });

  it('refuses a non-admin privately and opens nothing', async () => {
    h = await startHarness();
    await h.slash('keys', { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('response_url').length === 1);
    const refusal = h.slack.of('response_url')[0]!;
    expect(refusal.body.response_type).toBe('ephemeral');
    expect(String(refusal.body.text)).toContain('Only workspace admins');
    expect(h.slack.of('views.open')).toHaveLength(0);
  });

  it('lets ids from HIVE_ADMIN_USER_IDS in without asking Slack', async () => {
    h = await startHarness({ adminUserIds: `UOTHER,${USER}` });
    await h.slash('keys', { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('views.open').length === 1);
    expect(h.slack.of('users.info')).toHaveLength(0);
  });

  it('shows a vendor rejection inline and stores nothing', async () => {
    h = await startHarness(ADMIN);
    const res = await h.interact(submission(REJECTED));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.key).toMatch(/OpenAI rejected this key/);
    expect(body.errors.key).not.toContain(REJECTED);
    expect(modelsCalls(h).map((r) => r.apiKey)).toEqual([REJECTED]);
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toEqual([]);
  });

  it('catches a malformed or wrong-vendor key before calling the vendor', async () => {
    h = await startHarness(ADMIN);
    const short = JSON.parse((await h.interact(submission('hello'))).text) as { errors: Record<string, string> };
    expect(short.errors.key).toMatch(/does not look like/);
    const wrong = JSON.parse((await h.interact(submission(fakeSecret('sk-ant-', 'api03-abcdefghijklmnopqrstuvwxyz')))).text) as {
      errors: Record<string, string>;
    };
    expect(wrong.errors.key).toMatch(/Anthropic key, not an OpenAI key/);
    const none = JSON.parse((await h.interact(submission(KEY, ''))).text) as { errors: Record<string, string> };
    expect(none.errors.vendor).toBe('Choose a vendor.');
    expect(modelsCalls(h)).toHaveLength(0);
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toEqual([]);
  });

  it('refuses a submission from a non-admin', async () => {
    h = await startHarness();
    const res = JSON.parse((await h.interact(submission(KEY))).text) as { errors: Record<string, string> };
    expect(res.errors.key).toBe('Only workspace admins can manage keys.');
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toEqual([]);
  });

  it('verifies a good key with the vendor, stores it, closes the form and confirms privately', async () => {
    h = await startHarness(ADMIN);
    const res = await h.interact(submission(`  ${KEY}  `));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(modelsCalls(h).map((r) => r.apiKey)).toEqual([KEY]);
    const [stored] = await h.hive.keys.list(`slack:${TEAM}`);
    expect(stored).toMatchObject({ vendor: 'openai', masked: `••••${KEY.slice(-4)}`, health: 'ok', addedBy: USER });
    await h.slack.waitFor(() => h!.slack.of('chat.postEphemeral').length === 1);
    const confirm = h.slack.of('chat.postEphemeral')[0]!;
    expect(confirm.body).toMatchObject({ channel: 'C0001', user: USER });
    expect(String(confirm.body.text)).toContain(`••••${KEY.slice(-4)}`);
    for (const c of h.slack.calls) expect(c.raw).not.toContain(KEY);
  });

  it('answers a slow verification with a "verifying" view, then updates it with the outcome', async () => {
    h = await startHarness({ ...ADMIN, timing: { viewDeadlineMs: 100 }, respond: () => ({ latencyMs: 400 }) });
    const res = await h.interact(submission(KEY));
    const body = JSON.parse(res.text) as { response_action: string; view: { blocks: { text: { text: string } }[] } };
    expect(body.response_action).toBe('update');
    expect(body.view.blocks[0]!.text.text).toContain('Verifying the key with OpenAI');
    await h.slack.waitFor(() => h!.slack.of('views.update').length === 1);
    const update = h.slack.of('views.update')[0]!;
    expect(update.body.view_id).toBe('V0KEYS');
    expect(JSON.stringify(update.body.view)).toContain('Saved the OpenAI key');
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toHaveLength(1);
  });
});
