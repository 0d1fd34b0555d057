import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, openClients, trickleBody, type RawClient } from '../helpers/raw-sockets.ts';
import { until } from '../helpers/until.ts';
import { slackSignature, slashBody } from '../fakes/slack-requests.ts';
import { CHANNEL, KEY, SECRET, TEAM, USER, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
const clients: RawClient[] = [];
afterEach(async () => {
  closeAll(clients.splice(0));
  await h?.close();
  h = undefined;
});

const portOf = (x: Harness) => Number(new URL(x.base).port);
const now = () => String(Math.floor(Date.now() / 1000));
/** Headers that pass the cheap checks (fresh stamp, well-formed signature) but whose signature is wrong. */
const wrongSignature = { 'content-type': 'application/json', 'x-slack-request-timestamp': now(), 'x-slack-signature': `v0=${'0'.repeat(64)}` };
const open = async (x: Harness, n: number, then?: Parameters<typeof openClients>[2]) => {
  const opened = await openClients(portOf(x), n, then);
  clients.push(...opened);
  return opened;
};
const closedCount = (list: readonly RawClient[]) => list.filter((c) => c.closed()).length;
/** A generous wait for a loaded 2-core machine: the assertion is that they close, not how fast. */
const WITHIN_MS = 20_000;
const TEST_MS = 60_000;

describe('connections to the Slack HTTP server', () => {
  it(
    'GIVEN silent, slow-header and slow-body connections with a wrong signature THEN the header and request deadlines close them all',
    async () => {
      h = await startHarness({
        keys: { [TEAM]: KEY },
        env: { HIVE_HTTP_HEADERS_TIMEOUT_MS: '400', HIVE_HTTP_REQUEST_TIMEOUT_MS: '800', HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: '100000' },
      });
      const silent = await open(h, 150);
      const slowHead = await open(h, 50, (s) => {
        s.write('POST /slack/events HTTP/1.1\r\n');
        const timer = setInterval(() => (s.writable ? s.write('x-pad: 1\r\n') : clearInterval(timer)), 100);
        s.once('close', () => clearInterval(timer));
      });
      const slowBody = await open(h, 150, trickleBody(wrongSignature));
      const all = [...silent, ...slowHead, ...slowBody];
      await until(`all ${all.length} slow connections closed`, () => closedCount(all) === all.length, WITHIN_MS);
      // Closed by Node's deadlines (408), not dropped by the cap.
      expect(slowBody.every((c) => c.received().startsWith('HTTP/1.1 408'))).toBe(true);
      expect((await h.slash('still here?')).status).toBe(200);
    },
    TEST_MS,
  );

  it(
    'GIVEN the cap of unverified connections full THEN the oldest are closed at once, and a correctly signed slash command still gets its 200',
    async () => {
      // Deadlines far longer than the test: only the cap can close these connections.
      h = await startHarness({
        keys: { [TEAM]: KEY },
        env: { HIVE_HTTP_HEADERS_TIMEOUT_MS: '120000', HIVE_HTTP_REQUEST_TIMEOUT_MS: '120000', HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: '20' },
      });
      const silent = await open(h, 40);
      await until('the 20 oldest closed', () => silent.slice(0, 20).every((c) => c.closed()), WITHIN_MS);
      expect(silent.slice(20).some((c) => c.closed())).toBe(false);
      const slowBody = await open(h, 20, trickleBody(wrongSignature, 10_000, 1_000));
      await until('the other 20 silent ones closed', () => closedCount(silent) === 40, WITHIN_MS);
      // The cap is full of slow bodies with a wrong signature; a real Slack request still gets through.
      expect((await h.slash('hello')).status).toBe(200);
      expect((await h.slash('hello again')).status).toBe(200);
      await until('one slow body made room for each signed request', () => closedCount(slowBody) >= 1, WITHIN_MS);
      expect(closedCount(slowBody)).toBeLessThanOrEqual(2);
    },
    TEST_MS,
  );

  it(
    'GIVEN a connection that delivered a verified request THEN it no longer counts against the cap, while one refused for its signature still does',
    async () => {
      const long = { HIVE_HTTP_HEADERS_TIMEOUT_MS: '120000', HIVE_HTTP_REQUEST_TIMEOUT_MS: '120000', HIVE_HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000' };
      const x = (h = await startHarness({ keys: { [TEAM]: KEY }, env: { ...long, HIVE_HTTP_MAX_UNVERIFIED_CONNECTIONS: '5' } }));
      const body = slashBody({ teamId: TEAM, channelId: CHANNEL, userId: USER, command: '/ask', text: 'hi', responseUrl: x.slack.responseUrl('r-verified') });
      const ts = Math.floor(Date.now() / 1000);
      const signed = {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': slackSignature(SECRET, ts, body),
      };
      // Both keep their connections alive after the answer: one verified, one refused for its signature.
      const [verified] = await open(x, 1, (s) => s.write(post(signed, body)));
      const [refused] = await open(x, 1, (s) => s.write(post(wrongSignature, '{}')));
      await until('both answered', () => verified!.received().startsWith('HTTP/1.1 200') && refused!.received().startsWith('HTTP/1.1 401'), WITHIN_MS);
      const silent = await open(x, 5);
      await until('the refused connection closed to make room', () => refused!.closed(), WITHIN_MS);
      expect(verified!.closed()).toBe(false);
      expect(closedCount(silent)).toBe(0);
    },
    TEST_MS,
  );
});

/** A whole HTTP/1.1 POST to /slack/events, kept alive. */
function post(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({ host: '127.0.0.1', ...headers, 'content-length': String(Buffer.byteLength(body)) }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `POST /slack/events HTTP/1.1\r\n${lines.join('')}\r\n${body}`;
}
