import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_BODY_LIMIT_BYTES } from '../../adapters/chat/slack/request-intake.ts';
import { eventBody, postSigned, rawPost, slackSignature } from '../fakes/slack-requests.ts';
import { CHANNEL, KEY, SECRET, TEAM, USER, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ keys: { [TEAM]: KEY } });
});
afterAll(() => h.close());

const MiB = 1024 * 1024;
const url = () => `${h.base}/slack/events`;
const now = () => Math.floor(Date.now() / 1000);
const signedHeaders = (body: string, ts = now()) => ({
  'content-type': 'application/json',
  'x-slack-request-timestamp': String(ts),
  'x-slack-signature': slackSignature(SECRET, ts, body),
});
/** An Events API body of about `size` bytes that Hive ignores (a reaction), so it does no work. */
const reactionOfSize = (size: number) => {
  const base = eventBody(TEAM, `EvBig${size}`, {
    type: 'reaction_added',
    user: USER,
    reaction: 'x',
    item: { type: 'message', channel: CHANNEL, ts: '1.1' },
    pad: '',
  });
  return base.replace('"pad":""', `"pad":"${'p'.repeat(size - base.length)}"`);
};

describe('request body limit', () => {
  it('is 1 MiB', () => {
    expect(SLACK_BODY_LIMIT_BYTES).toBe(MiB);
  });

  it('refuses a declared 300 MB body with 413 at once, before the body is sent, and closes the connection', async () => {
    const res = await rawPost(url(), {
      headers: { 'content-type': 'application/json', 'content-length': String(300 * MiB) },
      chunks: [Buffer.alloc(1024, 0x61)],
      holdOpen: true,
    });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
    await res.closed;
  });

  it('refuses a signed body declared one byte over the limit with 413', async () => {
    const body = reactionOfSize(SLACK_BODY_LIMIT_BYTES + 1);
    const res = await rawPost(url(), { headers: { ...signedHeaders(body), 'content-length': String(Buffer.byteLength(body)) }, chunks: [Buffer.from(body)] });
    expect(res.status).toBe(413);
  });

  it('stops reading a chunked body once it passes the limit: 413 while the client is still sending, then the connection closes', async () => {
    const piece = Buffer.alloc(64 * 1024, 0x61);
    const chunks = Array.from({ length: (SLACK_BODY_LIMIT_BYTES * 1.5) / piece.length }, () => piece);
    const res = await rawPost(url(), {
      headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(now()), 'x-slack-signature': `v0=${'0'.repeat(64)}` },
      chunks,
      holdOpen: true,
    });
    expect(res.status).toBe(413);
    await res.closed;
  });

  it('refuses a signed 10 MB body with 413 and does no work', async () => {
    const body = reactionOfSize(10 * MiB);
    const res = await postSigned(url(), body, { secret: SECRET, contentType: 'application/json' }).catch((err: unknown) => ({ status: -1, text: String(err) }));
    // The server may close before fetch has sent everything; a 413 or a closed connection, never a 200.
    expect([413, -1]).toContain(res.status);
    const chunked = await rawPost(url(), { headers: signedHeaders(body), chunks: [Buffer.from(body)] });
    expect(chunked.status).toBe(413);
    expect(modelCalls(h.vendor)).toHaveLength(0);
  });

  it('accepts a signed body just under the limit', async () => {
    const body = reactionOfSize(SLACK_BODY_LIMIT_BYTES - 16);
    const res = await postSigned(url(), body, { secret: SECRET, contentType: 'application/json' });
    expect(res.status).toBe(200);
  });

  it('refuses a request with a bad signature header with 401 before reading its body', async () => {
    const res = await rawPost(url(), {
      headers: {
        'content-type': 'application/json',
        'content-length': String(512 * 1024),
        'x-slack-request-timestamp': String(now()),
        'x-slack-signature': 'v0=nothex',
      },
      chunks: [Buffer.alloc(1024, 0x61)],
      holdOpen: true,
    });
    expect(res.status).toBe(401);
    await res.closed;
  });

  it('keeps serving after refusing oversized bodies', async () => {
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
    const ok = await postSigned(url(), JSON.stringify({ type: 'url_verification', challenge: 'still-here' }), {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(JSON.parse(ok.text)).toEqual({ challenge: 'still-here' });
  });
});
