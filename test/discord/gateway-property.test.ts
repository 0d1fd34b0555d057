import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageOf } from '../fakes/discord-payloads.ts';
import type { DiscordRequest, InteractionSpec } from '../fakes/discord-api.ts';
import { until } from '../helpers/until.ts';
import { CHANNEL, GUILD, isCallback, isEdit, startDiscord, type DiscordHarness, textOf } from './harness.ts';

let h: DiscordHarness;
beforeAll(async () => {
  h = await startDiscord({ keep: true });
}, 60_000);
afterAll(() => h.close());

/** Whatever escapes the bot's handlers: in the real process, any of these ends it (exit 1). */
const escaped: unknown[] = [];
const record = (e: unknown) => void escaped.push(e);
beforeEach(() => {
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});
afterEach(() => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
});

const DELETE = Symbol('delete');
type Hostile = unknown;
type Path = (string | number)[];

/** Values wrong for every field below: wrong types, numbers where digits belong, and strings that are not ids or bitfields. */
const junk: Hostile[] = [null, DELETE, {}, { a: 1 }, [], [null], 1.5, -1, 'abc', '32.5', '', true];
const notText: Hostile[] = [{ a: 1 }, [], ['x'], 5, true, null, 'x'.repeat(6001)];

/** Fields of an interaction discord.js builds from or Hive reads, each with values that are wrong for it. */
const INTERACTION_FIELDS: [Path, Hostile[]][] = [
  [
    ['member', 'permissions'],
    ['abc', '32.5', '-1', '', '1e3', ' 32', {}, [], null, 32],
  ],
  [['app_permissions'], ['abc', '32.5', {}, null, 8]],
  [['application_id'], junk],
  [['guild_id'], ['abc', {}, 5, '']],
  [['channel_id'], ['abc', {}, 5, '']],
  [['channel'], ['x', 5, [], null, { id: 'abc', type: 0 }, { id: CHANNEL, type: 0, recipients: 'x' }]],
  [['member'], ['x', 5, [], null, {}]],
  [
    ['member', 'user'],
    [null, DELETE, 'x', {}],
  ],
  [
    ['member', 'user', 'id'],
    ['abc', {}, null, 5],
  ],
  [
    ['member', 'roles'],
    ['x', {}, [5], null, DELETE],
  ],
  [['entitlements'], [null, DELETE, 'x', {}, [null], [5]]],
  [['authorizing_integration_owners'], [null, DELETE, 'x', 5, { 0: 'abc' }]],
  [['message'], [{}, 'x', null]],
  [['data'], [null, DELETE, 'x', [], 5]],
  [
    ['data', 'resolved'],
    [{}, { users: 'x' }],
  ],
];
const COMMAND_FIELDS: [Path, Hostile[]][] = [
  [
    ['data', 'name'],
    [{}, null, 5, '', 'x'.repeat(40), 'a b'],
  ],
  [['data', 'id'], junk],
  [
    ['data', 'type'],
    ['x', null, {}, 2, 3],
  ],
  [
    ['data', 'options'],
    ['x', {}, [null], [5], [{}]],
  ],
  [['data', 'options', 0, 'value'], notText],
  [
    ['data', 'options', 0, 'type'],
    ['x', 4, 99, null],
  ],
  [
    ['data', 'options', 0, 'name'],
    [{}, 'nope', '', null],
  ],
];
/** What makes an interaction unanswerable: its id, token or type (the callback route and how to answer). */
const ADDRESS_FIELDS: [Path, Hostile[]][] = [
  [['id'], ['abc', '', {}, null, 5, '1.5', DELETE]],
  [['token'], [{}, '', 'a/b', 'a?b', null, 5, DELETE]],
  [['type'], ['x', null, {}, 1.5, 99, DELETE]],
];

function mutate(d: Record<string, unknown>, [path, value]: [Path, Hostile]): void {
  let at: unknown = d;
  for (const key of path.slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return;
    at = (at as Record<string | number, unknown>)[key];
  }
  if (typeof at !== 'object' || at === null) return;
  const last = path.at(-1)!;
  if (value === DELETE) delete (at as Record<string | number, unknown>)[last];
  else (at as Record<string | number, unknown>)[last] = value;
}

const change = (fields: [Path, Hostile[]][]) =>
  fc.constantFrom(...fields).chain(([path, values]) => fc.constantFrom(...values).map((v): [Path, Hostile] => [path, v]));

type Kind = 'ask' | 'autocomplete' | 'form';
interface BadInteraction {
  kind: Kind;
  changes: [Path, Hostile][];
  address: [Path, Hostile] | null;
}
/** A malformed interaction: one to three wrong fields; answerable unless its id, token or type is among them. */
const badInteraction: fc.Arbitrary<BadInteraction> = fc
  .record({
    kind: fc.constantFrom<Kind>('ask', 'ask', 'autocomplete', 'form'),
    changes: fc.array(change([...INTERACTION_FIELDS, ...COMMAND_FIELDS]), { minLength: 1, maxLength: 3 }),
    address: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: change(ADDRESS_FIELDS) }),
  })
  .map((x) => ({ ...x, changes: x.kind === 'form' ? x.changes.filter(([p]) => !COMMAND_FIELDS.some(([q]) => q === p)) : x.changes }))
  .filter((x) => x.changes.length > 0 || x.address !== null);

const base = { guildId: GUILD, channelId: CHANNEL };
function sendInteraction(x: BadInteraction) {
  const tamper = (d: Record<string, unknown>) => {
    const copy = structuredClone(d);
    for (const c of [...x.changes, ...(x.address ? [x.address] : [])]) mutate(copy, c);
    return copy;
  };
  const spec: Omit<InteractionSpec, 'name'> = { ...base, tamper };
  if (x.kind === 'form')
    return h.discord.modalSubmit({ ...spec, customId: 'hive-keys', selects: { vendor: ['openai'] }, fields: { key: 'sk-not-a-real-key-000000' } });
  if (x.kind === 'autocomplete') return h.discord.autocomplete({ ...spec, name: 'ask', options: [{ name: 'model', type: 3, value: 'open', focused: true }] });
  return h.discord.interaction({ ...spec, name: 'ask', options: [{ name: 'question', type: 3, value: 'What is 6 times 7?' }] });
}

/** A person's message as MESSAGE_CREATE carries it. */
const goodMessage = () => ({
  ...messageOf(CHANNEL, { content: 'hello' }),
  guild_id: GUILD,
  author: { id: '300000000000000009', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null },
  member: { roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
});
const MESSAGE_FIELDS: [Path, Hostile[]][] = [
  [['id'], ['abc', {}, null, DELETE, '1.5']],
  [['channel_id'], ['abc', {}, null, DELETE]],
  [['author'], ['x', null, DELETE, {}]],
  [
    ['author', 'id'],
    ['abc', {}, null],
  ],
  [['content'], notText.filter((v) => typeof v !== 'string')],
  [['mentions'], ['x', {}, [null], [{ id: 'abc', username: 'x' }]]],
  [
    ['member', 'roles'],
    ['x', {}, [5]],
  ],
  [['embeds'], ['x', {}, [null]]],
  [['attachments'], ['x', [{}], [null]]],
  [['timestamp'], [{}, 5]],
  [['edited_timestamp'], [{}, 5]],
  [['message_reference'], ['x', 5, { message_id: 'abc' }]],
  [['referenced_message'], ['x', 5, { id: 'abc' }]],
  [['message_snapshots'], [[{ message: {} }]]],
  [['flags'], ['x', -1, {}]],
  [['type'], ['x', {}, 1.5]],
  [['thread'], ['x', { id: 'abc', type: 11 }]],
];
const EVENTS = [
  'MESSAGE_CREATE',
  'MESSAGE_UPDATE',
  'MESSAGE_DELETE',
  'MESSAGE_DELETE_BULK',
  'THREAD_CREATE',
  'GUILD_CREATE',
  'GUILD_ROLE_UPDATE',
  'CHANNEL_UPDATE',
];
const badMessage = fc.record({
  t: fc.constantFrom('MESSAGE_CREATE', 'MESSAGE_UPDATE'),
  changes: fc.array(change(MESSAGE_FIELDS), { minLength: 1, maxLength: 3 }),
});
/** Any event Hive's intents bring (or an unknown one) with a payload that is not an object at all. */
const notAnObject = fc.record({
  t: fc.constantFrom(...EVENTS, 'INTERACTION_CREATE', 'TYPING_START', 'SOMETHING_NEW'),
  d: fc.constantFrom(null, 'x', 5, true, [], [{ id: GUILD }]),
});
/** An event Hive validates (or one discord.js reads unchecked, and throws on: PRESENCE_UPDATE without a user), with a payload of random JSON. */
const randomPayload = fc.record({
  t: fc.constantFrom(...EVENTS, 'INTERACTION_CREATE', 'PRESENCE_UPDATE'),
  d: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }),
});

const warnings = () => h.logs.filter((l) => l.includes('"level":40') && /Discord gateway event refused|discord\.js failed/.test(l)).length;
const tokens: string[] = [];
let answered = 0;

/** Sends one malformed event and waits for the bot's word on it: the user's refusal when it can be answered, else the warning. */
async function storm(event: { interaction?: BadInteraction; raw?: { t: string; d: unknown } }): Promise<void> {
  const before = warnings();
  if (event.raw) h.discord.dispatch(event.raw.t, event.raw.d);
  if (event.interaction) {
    const x = event.interaction;
    const { id, token } = sendInteraction(x);
    tokens.push(token);
    if (!x.address) expectRefusal(x.kind, await h.discord.waitFor(isCallback(id, token), 10_000));
    if (!x.address) answered++;
  }
  await until('a warning about the malformed event', () => warnings() > before, 10_000);
}

/** Answered in Discord's terms: a private message saying what Discord sent wrong, or (autocomplete) no suggestions. */
function expectRefusal(kind: Kind, cb: DiscordRequest): void {
  if (kind === 'autocomplete') return void expect(cb.body).toEqual({ type: 8, data: { choices: [] } });
  expect(cb.body).toMatchObject({ type: 4, data: { flags: 64, allowed_mentions: { parse: [] } } });
  const content = String((cb.body!['data'] as { content: unknown }).content);
  expect(content).toMatch(/^⚠️ .*(Discord|Hive).*Nothing was run; try again\.$/s);
  expect(content).not.toContain('[object Object]');
}

describe('Discord gateway, property-based', () => {
  it('GIVEN a storm of malformed interactions, messages and events THEN the bot stays up, refuses each (answering what it can), calls no model, logs no token, and still answers /ask', async () => {
    const event = fc.oneof(
      { weight: 6, arbitrary: badInteraction.map((interaction) => ({ interaction })) },
      { weight: 2, arbitrary: badMessage.map(({ t, changes }) => ({ raw: { t, d: changes.reduce((d, c) => (mutate(d, c), d), goodMessage()) } })) },
      { weight: 1, arbitrary: notAnObject.map((raw) => ({ raw })) },
      { weight: 1, arbitrary: randomPayload.map((raw) => ({ raw })) },
    );
    await fc.assert(fc.asyncProperty(event, storm), { seed: 20_261_105, numRuns: 150 });
    // The storm reached both sides: interactions refused to their users, and events dropped with only a warning.
    expect(answered).toBeGreaterThan(40);
    expect(warnings()).toBeGreaterThanOrEqual(150);

    expect(escaped).toEqual([]);
    expect(h.adapter.ready?.()).toBe(true);
    expect(h.vendor.requests.filter((r) => r.model)).toHaveLength(0);
    const logs = h.logs.join('\n');
    for (const token of tokens) expect(logs).not.toContain(token);
    // Each interaction answered at most once.
    const callbacks = h.discord.requests.filter((r) => r.path.startsWith('/interactions/')).map((r) => r.path);
    expect(new Set(callbacks).size).toBe(callbacks.length);
    const { token } = h.discord.interaction({ ...base, name: 'ask', options: [{ name: 'question', type: 3, value: 'Capital of France?' }] });
    expect(textOf((await h.discord.waitFor(isEdit(token), 20_000)).body)).toContain('Paris');
  }, 120_000);
});
