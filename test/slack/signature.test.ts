import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventBody, postSigned, slackSignature, slashBody } from '../fakes/slack-requests.ts';
import { CHANNEL, KEY, SECRET, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ keys: { [TEAM]: KEY } });
});
afterAll(() => h.close());

const form = 'application/x-www-form-urlencoded' as const;
const now = () => Math.floor(Date.now() / 1000);
const body = () =>
  slashBody({ teamId: TEAM, channelId: CHANNEL, userId: USER, command: '/ask', text: 'What is six times seven?', responseUrl: h.slack.responseUrl('sig') });

describe('request verification', () => {
  it('refuses forged, stale, future-stamped and unsigned requests with 401 and does no work', async () => {
    const url = `${h.base}/slack/events`;
    const b = body();
    const forged = await postSigned(url, b, { secret: 'not-the-signing-secret', contentType: form });
    const tampered = await postSigned(url, b, { secret: SECRET, signature: slackSignature(SECRET, now(), `${b}&x=1`), contentType: form });
    const stale = await postSigned(url, b, { secret: SECRET, timestamp: now() - 6 * 60, contentType: form });
    const future = await postSigned(url, b, { secret: SECRET, timestamp: now() + 10 * 60, contentType: form });
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': form }, body: b });
    const staleEvent = await postSigned(url, eventBody(TEAM, 'EvSig1', { type: 'app_mention', user: USER, text: 'hi', ts: '1.1', channel: CHANNEL }), {
      secret: SECRET,
      timestamp: now() - 301,
      contentType: 'application/json',
    });
    expect([forged.status, tampered.status, stale.status, future.status, unsigned.status, staleEvent.status]).toEqual([401, 401, 401, 401, 401, 401]);
    await new Promise((r) => setTimeout(r, 150));
    expect(modelCalls(h.vendor)).toHaveLength(0);
    expect(h.slack.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('accepts a correctly signed request stamped a few seconds ago', async () => {
    const res = await postSigned(`${h.base}/slack/events`, body(), { secret: SECRET, timestamp: now() - 5, contentType: form });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => h.slack.of('chat.postMessage').length === 1);
  });

  it('answers url_verification and /healthz, and 404s unknown paths', async () => {
    const challenge = await postSigned(`${h.base}/slack/events`, JSON.stringify({ type: 'url_verification', challenge: 'c-123', token: 't' }), {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(JSON.parse(challenge.text)).toEqual({ challenge: 'c-123' });
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`${h.base}/nope`)).status).toBe(404);
  });
});
