import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceIdFor } from '../../adapters/chat/slack/deps.ts';
import { eventBody, interactionBody, postSigned, rawPost, slackSignature, slashBody } from '../fakes/slack-requests.ts';
import { BOT_USER, CHANNEL, KEY, SECRET, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ keys: { [TEAM]: KEY } });
});
afterAll(() => h.close());

const form = 'application/x-www-form-urlencoded' as const;
const json = 'application/json' as const;
const url = () => `${h.base}/slack/events`;

/** Parsed log lines at error level (pino: 50) or above. */
function errorLogs(logs: string[]): string[] {
  return logs.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);
}

const slashWithout = (field: string) => {
  const p = new URLSearchParams(
    slashBody({ teamId: TEAM, channelId: CHANNEL, userId: USER, command: '/ask', text: 'What is six times seven?', responseUrl: h.slack.responseUrl('mal') }),
  );
  p.delete(field);
  return p.toString();
};

const slashWith = (field: string, value: string) => {
  const p = new URLSearchParams(slashWithout(field));
  p.set(field, value);
  return p.toString();
};

const submission = (extra: Record<string, unknown>) => ({
  type: 'view_submission',
  user: { id: USER },
  trigger_id: `trigger.${Math.random()}`,
  view: { id: 'V1', callback_id: 'hive_keys', private_metadata: '{}', state: { values: {} } },
  ...extra,
});

describe('malformed but signed requests', () => {
  it('answers 400 to bodies that are not objects or not valid encodings, with a short warning and no error log', async () => {
    const cases: [string, typeof json | typeof form][] = [
      ['null', json],
      ['[]', json],
      ['[{"command":"/ask"}]', json],
      ['5', json],
      ['"text"', json],
      ['true', json],
      ['{"type":', json],
      ['', json],
      ['%zz=1', form],
      ['payload=not-json', form],
      ['payload=null', form],
      ['payload=%5B1%5D', form],
      ['payload=42', form],
      ['command=%2Fask&command=%2Fask', form],
      ['{"type":"event_callback"}', form],
      ['team_id=T1&text=%E0%A4', form],
      ['{"type":"something_else","team_id":"T0001"}', json],
      ['{"type":"url_verification"}', json],
      ['{}', json],
      ['a=1', form],
    ];
    for (const [body, contentType] of cases) {
      const res = await postSigned(url(), body, { secret: SECRET, contentType });
      expect({ body, status: res.status, text: res.text }).toEqual({ body, status: 400, text: '' });
    }
    const invalidUtf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const ts = Math.floor(Date.now() / 1000);
    const res = await rawPost(url(), {
      headers: { 'content-type': json, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': slackSignature(SECRET, ts, invalidUtf8) },
      chunks: [invalidUtf8],
    });
    expect(res.status).toBe(400);
    expect(errorLogs(h.logs)).toEqual([]);
    expect(h.logs.join('\n')).not.toMatch(/"stack"|TypeError|SyntaxError/);
    expect(h.logs.filter((l) => l.includes('Slack request refused')).length).toBeGreaterThanOrEqual(cases.length);
  });

  it('answers 400 to commands, events and interactions missing the fields Bolt and Hive read', async () => {
    const mention = { type: 'app_mention', user: USER, text: `<@${BOT_USER}> hi`, ts: '1.1', channel: CHANNEL };
    const bodies: [string, typeof json | typeof form][] = [
      [slashWithout('user_id'), form],
      [slashWithout('text'), form],
      [slashWithout('response_url'), form],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM1', event: 'not-an-object' }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM2', event: { ...mention, channel: 5 } }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM3', event: { ...mention, text: { a: 1 } } }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM4', authorizations: [null], event: mention }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event: mention }), json],
      [interactionBody({ type: 'block_actions', team: { id: TEAM }, user: { id: USER }, actions: 5 }), form],
      [interactionBody({ type: 'block_actions', team: { id: TEAM }, user: { id: USER }, actions: [], response_urls: [null] }), form],
      [interactionBody({ type: 'block_actions', team: { id: TEAM }, actions: [] }), form],
      [interactionBody(submission({ team: { id: TEAM }, view: null })), form],
      [interactionBody(submission({ team: { id: TEAM }, view: { id: 'V1', callback_id: 'hive_keys' } })), form],
      // Ids and timestamps Hive files replies, budgets and threads under, in Slack's own forms only.
      [slashWith('user_id', 'U1:x'), form],
      [slashWith('channel_id', '../C1'), form],
      [slashWith('user_id', ''), form],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM5', event: { ...mention, user: 'u1 x' } }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM6', event: { ...mention, ts: 'x' } }), json],
      [JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: 'EvM7', event: { ...mention, thread_ts: { a: 1 } } }), json],
      [interactionBody(submission({ team: { id: TEAM }, user: { id: { a: 1 } } })), form],
    ];
    for (const [body, contentType] of bodies) {
      const res = await postSigned(url(), body, { secret: SECRET, contentType });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(modelCalls(h.vendor)).toHaveLength(0);
    expect(errorLogs(h.logs)).toEqual([]);
  });
});

describe('tokens_revoked', () => {
  it('GIVEN a signed tokens_revoked whose token lists are not lists of ids THEN it is refused and the workspace keeps its keys', async () => {
    for (const [n, tokens] of [{ bot: 5 }, { bot: 'UBOT' }, { oauth: [{ a: 1 }] }, { bot: null }].entries()) {
      const body = JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: `EvRevoked${n}`, event: { type: 'tokens_revoked', tokens } });
      const res = await postSigned(url(), body, { secret: SECRET, contentType: json });
      expect({ tokens, status: res.status }).toEqual({ tokens, status: 400 });
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(await h.hive.keys.list(workspaceIdFor(TEAM))).toEqual([expect.objectContaining({ vendor: 'openai' })]);
    expect(h.logs.some((l) => l.includes('vendor keys deleted'))).toBe(false);
  });
});

describe('requests without a team id', () => {
  it('refuses a slash command without team_id (or with an empty or malformed one) and never runs it as slack:undefined', async () => {
    const blank = new URLSearchParams(slashWithout('team_id'));
    blank.set('team_id', '');
    const odd = new URLSearchParams(slashWithout('team_id'));
    odd.set('team_id', 'T1:x y');
    for (const body of [slashWithout('team_id'), blank.toString(), odd.toString()]) {
      const res = await postSigned(url(), body, { secret: SECRET, contentType: form });
      expect(res.status).toBe(400);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.of('response_url')).toHaveLength(0);
    expect(h.slack.of('chat.postMessage')).toHaveLength(0);
    expect(h.logs.some((l) => l.includes('no team id'))).toBe(true);
    expect(h.logs.join('\n')).not.toContain('slack:undefined');
  });

  it('refuses events and interactions without a team id', async () => {
    const noTeamEvent = JSON.parse(eventBody(TEAM, 'EvNoTeam', { type: 'app_mention', user: USER, text: 'hi', ts: '1.2', channel: CHANNEL })) as Record<
      string,
      unknown
    >;
    delete noTeamEvent.team_id;
    noTeamEvent.authorizations = [{ team_id: null, user_id: BOT_USER }];
    const noTeamView = interactionBody(submission({ team: null }));
    const responses = [
      await postSigned(url(), JSON.stringify(noTeamEvent), { secret: SECRET, contentType: json }),
      await postSigned(url(), noTeamView, { secret: SECRET, contentType: form }),
      await postSigned(url(), interactionBody({ type: 'shortcut', user: { id: USER }, trigger_id: 't.sc', callback_id: 'x' }), {
        secret: SECRET,
        contentType: form,
      }),
    ];
    expect(responses.map((r) => r.status)).toEqual([400, 400, 400]);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(errorLogs(h.logs)).toEqual([]);
  });
});

describe('workspace ids', () => {
  it('are built only from a Slack team id', () => {
    expect(workspaceIdFor('T0001')).toBe('slack:T0001');
    expect(workspaceIdFor('E12AB')).toBe('slack:E12AB');
    for (const bad of [undefined, '', 'undefined', 'T1:x', 't0001', 'T 1']) expect(() => workspaceIdFor(bad)).toThrow(/team id/);
  });
});
