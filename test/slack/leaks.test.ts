import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_TOKEN, BOT_USER, CHANNEL, KEY, SECRET, TEAM, USER, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('secrets', () => {
  it('never puts a vendor key, bot token or signing secret in a post, a log line or the data folder', async () => {
    h = await startHarness({ sqlite: true, slack: { users: { [USER]: { is_admin: true } } } });
    await h.slash('keys', { command: '/hive' });
    await h.slack.waitFor(() => h!.slack.of('views.open').length === 1);
    const submit = {
      type: 'view_submission',
      team: { id: TEAM },
      user: { id: USER, team_id: TEAM },
      api_app_id: 'AHIVE',
      view: {
        id: 'V1',
        team_id: TEAM,
        type: 'modal',
        callback_id: 'hive_keys',
        private_metadata: JSON.stringify({ channel: CHANNEL }),
        state: {
          values: {
            vendor: { vendor: { type: 'static_select', selected_option: { value: 'openai' } } },
            key: { key: { type: 'plain_text_input', value: KEY } },
          },
        },
      },
    };
    expect((await h.interact(submit)).text).toBe('');
    await h.slash('keys set openai ' + KEY, { command: '/hive' });
    await h.slash('What is six times seven?');
    await h.event('EvLeak1', { type: 'app_mention', user: USER, text: `<@${BOT_USER}> and again?`, ts: '1700000500.000100', channel: CHANNEL });
    await h.slack.waitFor(() => h!.slack.of('chat.postMessage').length === 2 && h!.slack.of('response_url').length === 2);

    const logs = h.logs.join('\n');
    expect(logs).toContain('Slack adapter listening');
    expect(logs).toContain('vendor key stored from the Slack form');
    // Bolt's start-up auth.test sends the bot token to Slack itself in the body; every other call carries it only in the header.
    const posts = h.slack.calls
      .filter((c) => c.method !== 'auth.test')
      .map((c) => c.raw)
      .join('\n');
    const atRest = readdirSync(h.dataDir)
      .map((f) => readFileSync(path.join(h!.dataDir, f)).toString('latin1'))
      .join('\n');
    for (const secret of [KEY, BOT_TOKEN, SECRET]) {
      expect(logs).not.toContain(secret);
      expect(posts).not.toContain(secret);
      expect(atRest).not.toContain(secret);
    }
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage').every((c) => c.token === BOT_TOKEN)).toBe(true);
  });
});
