import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL, TEAM, USER, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const who = { user: { id: USER, team_id: TEAM }, team: { id: TEAM, domain: 'hive' }, api_app_id: 'AHIVE', token: 'legacy', trigger_id: 't.1' };

/** Interactions Hive has no listener for: a button on one of its messages, a shortcut, a closed modal, a menu search. */
const UNHANDLED: Record<string, Record<string, unknown>> = {
  block_actions: {
    ...who,
    type: 'block_actions',
    container: { type: 'message', channel_id: CHANNEL, message_ts: '1700000000.000001' },
    channel: { id: CHANNEL },
    response_url: 'https://hooks.slack.invalid/actions/1',
    actions: [{ type: 'button', action_id: 'some_button', block_id: 'b1', value: 'v', action_ts: '1700000001.000001' }],
  },
  shortcut: { ...who, type: 'shortcut', callback_id: 'not_hive', action_ts: '1700000001.000002' },
  view_closed: { ...who, type: 'view_closed', is_cleared: false, view: { id: 'V1', callback_id: 'someone_elses_view', private_metadata: '' } },
  block_suggestion: { ...who, type: 'block_suggestion', action_id: 'picker', block_id: 'b2', value: 'ab', container: { type: 'view', view_id: 'V2' } },
};

describe('interactions with no listener', () => {
  for (const [type, payload] of Object.entries(UNHANDLED)) {
    it(`acks ${type} at once with an empty 200 and logs it at debug`, async () => {
      h = await startHarness();
      const res = await h.interact(payload);
      // Bolt's own answer for an unacknowledged request is a 404 after its 3 s timer, so a 200 here
      // can only come from the immediate ack once the listeners have run.
      expect(res).toEqual({ status: 200, text: '' });
      const acked = h.logs.map((l) => JSON.parse(l) as { level: number; msg: string; interaction?: string }).filter((l) => l.msg.includes('no listener'));
      expect(acked).toEqual([expect.objectContaining({ level: 20, interaction: type, msg: 'Slack interaction with no listener acked with an empty 200' })]);
      expect(h.logs.join('')).not.toMatch(/not acknowledged|Unhandled HTTP request/);
    });
  }
});
