import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_BODY_LIMIT_BYTES } from '../../adapters/chat/slack/request-intake.ts';
import { postSigned, rawPost, slackSignature } from '../fakes/slack-requests.ts';
import { KEY, SECRET, TEAM, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ keys: { [TEAM]: KEY } });
});
afterAll(() => h.close());

const now = () => Math.floor(Date.now() / 1000);

const FIELDS = [
  'command',
  'team_id',
  'channel_id',
  'user_id',
  'text',
  'trigger_id',
  'response_url',
  'payload',
  'ssl_check',
  'type',
  'event',
  'event_id',
  'challenge',
  'team',
  'user',
  'view',
  'actions',
  'authorizations',
  'response_urls',
  'name',
  'function_data',
];
const TYPES = [
  'event_callback',
  'url_verification',
  'app_rate_limited',
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'dialog_submission',
  'app_mention',
  'message',
];

/** Strings from every corner: ASCII, full Unicode, lone surrogates, and huge ones (up to ~400 KB). */
const text = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(TEAM, 'T', '', 'undefined', 'null', '/ask', '/hive', ...TYPES) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('a', 'é', '€', '🐝', '%', '\u0000'), fc.integer({ min: 50_000, max: 130_000 })).map(([c, n]) => c.repeat(n)),
  },
);

/** JSON-ish values shaped like Slack's, with the fields Bolt reads set to anything at all. */
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...FIELDS, 'id', 'team_id', 'state', 'values', 'channel', 'ts', 'item', 'subteam'), fc.string({ maxLength: 8 })),
      tie('v'),
      { maxKeys: 5 },
    ),
  ),
})).v;

const slackish = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...TYPES), text),
    team_id: fc.oneof(fc.constant(TEAM), text),
    team: value,
    user: value,
    event: value,
    event_id: value,
    command: value,
    actions: value,
    view: value,
    trigger_id: value,
    challenge: value,
    authorizations: value,
  },
  { requiredKeys: [] },
);

const formOf = (entries: [string, string][]) => entries.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
const lenient = (s: string) => s.replace(/[\uD800-\uDFFF]/g, '?');

const ids = fc.stringMatching(/^[A-Z0-9]{1,10}$/);

/** Well-formed commands, events and key-form submissions with random content, so runs get past validation into Bolt. */
const wellFormed: fc.Arbitrary<Buffer> = fc.oneof(
  fc.record({ command: fc.constantFrom('/ask', '/hive', '/consensus', '/nope'), text, user: ids, trigger: fc.uuid() }).map((c) =>
    Buffer.from(
      new URLSearchParams({
        team_id: TEAM,
        channel_id: 'C1',
        user_id: `U${c.user}`,
        command: c.command,
        text: lenient(c.text),
        trigger_id: c.trigger,
        response_url: `http://127.0.0.1:1/r/${c.trigger}`,
      }).toString(),
    ),
  ),
  fc.record({ id: fc.uuid(), text, type: fc.constantFrom('app_mention', 'message', 'reaction_added') }).map((e) =>
    Buffer.from(
      JSON.stringify({
        type: 'event_callback',
        team_id: TEAM,
        event_id: `Ev${e.id}`,
        event: { type: e.type, user: 'U1', text: e.text, ts: '1.1', channel: 'C1' },
      }),
    ),
  ),
  // Ids that are not Slack's, and token lists that are not lists: refused before any listener (a revocation forgets the workspace).
  fc.record({ user: text, channel: text, trigger: fc.uuid() }).map((c) =>
    Buffer.from(
      new URLSearchParams({
        team_id: TEAM,
        channel_id: lenient(c.channel),
        user_id: lenient(c.user),
        command: '/hive',
        text: 'help',
        trigger_id: c.trigger,
        response_url: `http://127.0.0.1:1/r/${c.trigger}`,
      }).toString(),
    ),
  ),
  fc
    .record({ id: fc.uuid(), list: fc.constantFrom('bot', 'oauth'), junk: fc.constantFrom<unknown>(5, 'UBOT', {}, null, [1], [{}], true, [null]) })
    .map((e) =>
      Buffer.from(
        JSON.stringify({ type: 'event_callback', team_id: TEAM, event_id: `Ev${e.id}`, event: { type: 'tokens_revoked', tokens: { [e.list]: e.junk } } }),
      ),
    ),
  fc
    .record({ trigger: fc.uuid(), values: value })
    .map((v) =>
      Buffer.from(
        `payload=${encodeURIComponent(lenient(JSON.stringify({ type: 'view_submission', team: { id: TEAM }, user: { id: 'U1' }, trigger_id: v.trigger, view: { id: 'V1', callback_id: 'hive_keys', private_metadata: '{}', state: { values: { key: v.values } } } })))}`,
      ),
    ),
);

/** Request bodies as bytes: forms, JSON, `payload=` interactions, raw bytes and broken encodings. */
const body: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: wellFormed },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), text), text), { maxLength: 8 })
      .map((e) => Buffer.from(formOf(e.map(([k, v]) => [lenient(k), lenient(v)])))),
  },
  { weight: 1, arbitrary: slackish.map((o) => Buffer.from(JSON.stringify(o))) },
  { weight: 1, arbitrary: slackish.map((o) => Buffer.from(`payload=${encodeURIComponent(lenient(JSON.stringify(o)))}`)) },
  { weight: 1, arbitrary: value.map((v) => Buffer.from(JSON.stringify(v) ?? 'undefined')) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz=1', 'payload=%E0%A4', 'a=1&a=2', '{"type":', 'payload={', '\u0000').map((s) => Buffer.from(s)) },
);

const contentType = fc.constantFrom(
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  undefined,
);

/** How the request is signed: correctly, not at all, or wrong in one way. */
const signing = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'valid' as const, skew: 0 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'none' as const, skew: 0 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'wrong-secret' as const, skew: 0 }) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 301, max: 10 ** 9 })
      .chain((s) => fc.constantFrom(-s, s))
      .map((skew) => ({ kind: 'valid' as const, skew })),
  },
  { weight: 1, arbitrary: fc.constantFrom('abc', '', '-5', '1.5', '99999999999999999999', ' 1').map((ts) => ({ kind: 'bad-ts' as const, skew: 0, ts })) },
  { weight: 1, arbitrary: fc.constantFrom('v0=', 'v1=00', 'garbage', `v0=${'g'.repeat(64)}`).map((sig) => ({ kind: 'bad-sig' as const, skew: 0, sig })) },
);

type Signing =
  { kind: 'valid' | 'none' | 'wrong-secret'; skew: number } | { kind: 'bad-ts'; skew: number; ts: string } | { kind: 'bad-sig'; skew: number; sig: string };

function headersFor(raw: Buffer, type: string | undefined, s: Signing): Record<string, string> {
  const ts = now() + s.skew;
  const headers: Record<string, string> = type ? { 'content-type': type } : {};
  if (s.kind === 'none') return headers;
  headers['x-slack-request-timestamp'] = s.kind === 'bad-ts' ? s.ts : String(ts);
  headers['x-slack-signature'] = s.kind === 'bad-sig' ? s.sig : slackSignature(s.kind === 'wrong-secret' ? 'not-the-secret' : SECRET, ts, raw);
  return headers;
}

/** What must never reach a client: stack frames, file paths, error class names. */
const INTERNALS = /\bat \S+ \(|node:internal|node_modules|\/work\/|\.ts:\d+|[A-Z][a-z]+Error\b|\bstack\b/;

describe('Slack intake over HTTP, property-based', () => {
  it('answers every generated request with a 2xx or 4xx, leaks no internals, and keeps serving', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, contentType, signing, async (raw, type, s) => {
        const res = await rawPost(`${h.base}/slack/events`, { headers: headersFor(raw, type, s), chunks: [raw] });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(res.status).toBeGreaterThanOrEqual(200);
        expect(res.status).toBeLessThan(500);
        const echo = res.text.startsWith('{"challenge":');
        if (!echo) expect(res.text).not.toMatch(INTERNALS);
        if (s.kind !== 'valid' || s.skew !== 0) expect([200, 401, 413]).toContain(res.status);
      }),
      // A fixed seed: the coverage counts below hold for this run's requests, not for a lucky draw.
      { numRuns: 300, seed: 20261207 },
    );
    // The generators reach past the signature check, not just the 401 path.
    expect(seen.get(400) ?? 0).toBeGreaterThan(20);
    expect(seen.get(401) ?? 0).toBeGreaterThan(20);
    expect(seen.get(200) ?? 0).toBeGreaterThan(10);
    const health = await fetch(`${h.base}/healthz`);
    expect(health.status).toBe(200);
    const alive = await postSigned(`${h.base}/slack/events`, JSON.stringify({ type: 'url_verification', challenge: 'alive' }), {
      secret: SECRET,
      contentType: 'application/json',
    });
    expect(JSON.parse(alive.text)).toEqual({ challenge: 'alive' });
    // No generated request made Hive forget the workspace.
    expect(await h.hive.keys.list(`slack:${TEAM}`)).toHaveLength(1);
  }, 60_000);

  it('answers huge generated bodies around the limit with 413 or a normal answer, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: SLACK_BODY_LIMIT_BYTES - 1024, max: SLACK_BODY_LIMIT_BYTES + 1024 }), fc.boolean(), async (size, chunked) => {
        const raw = Buffer.alloc(size, 0x7b);
        const headers = headersFor(raw, 'application/json', { kind: 'valid', skew: 0 });
        if (!chunked) headers['content-length'] = String(size);
        const res = await rawPost(`${h.base}/slack/events`, { headers, chunks: [raw] });
        expect(res.status).toBe(size > SLACK_BODY_LIMIT_BYTES ? 413 : 400);
      }),
      { numRuns: 12 },
    );
  }, 30_000);
});
