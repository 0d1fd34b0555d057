import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createFakeMessages, type FakeMessageEvents } from './discord-messages.ts';
import { createFakeCdn, type FakeDiscordCdn } from './discord-cdn.ts';
import { INVALID_FORM_BODY, readDiscordBody, withAttachments, type FakeDiscordFile } from './discord-multipart.ts';
import {
  APPLICATION_ID,
  BOT_USER,
  COMPONENTS_V2_KEPT,
  dropsComponentsV2,
  guildPayload,
  memberPayload,
  messageOf,
  snowflake,
  threadPayload,
  type FakeGuild,
} from './discord-payloads.ts';

export { APPLICATION_ID, BOT_USER, snowflake, snowflakeTime, type FakeGuild, type FakeOverwrite } from './discord-payloads.ts';
export type { FakeMention, UserMessageSpec } from './discord-messages.ts';

/** One REST request the fake received, path URL-decoded and without the `/api/v10` prefix. */
export interface DiscordRequest {
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body (an array for bulk routes such as command registration); a multipart one's `payload_json`. */
  body: Record<string, unknown> | undefined;
  /** Files sent with a multipart body (`files[n]`), bytes and all. */
  files?: FakeDiscordFile[];
  at: number;
}

/** One option of a slash command as Discord sends it. */
export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: InteractionOption[];
  /** The option being typed, in an autocomplete interaction. */
  focused?: boolean;
}

export interface InteractionSpec {
  name: string;
  /** Slash command options; a subcommand (type 1) carries its own `options`. */
  options?: InteractionOption[];
  guildId: string;
  channelId: string;
  userId?: string;
  /** The member's permission bits, as a decimal string (`'32'` = Manage Guild). */
  permissions?: string;
  /** Attachments given with the command (its `file` option), as `resolved.attachments` by id. */
  resolved?: { attachments: Record<string, Record<string, unknown>> };
  /** Changes the INTERACTION_CREATE payload before it is sent (a malformed one); returns what `d` becomes. */
  tamper?: (d: Record<string, unknown>) => unknown;
}

/** A fake Discord: REST under `/api/v10` and a JSON gateway at `/gateway`, on one loopback port. */
export interface FakeDiscord extends FakeMessageEvents {
  /** What `DISCORD_API_URL` should be: `http://127.0.0.1:<port>/api`. */
  apiUrl: string;
  requests: DiscordRequest[];
  /** IDENTIFY payloads received (one per gateway session). */
  identifies: Record<string, unknown>[];
  /** RESUME payloads received (a dropped connection picking its session up again). */
  resumes: Record<string, unknown>[];
  /** Closes every gateway connection with this close code (4000, the default, lets a client resume). */
  dropConnections(code?: number): void;
  /** Sends INVALID_SESSION (not resumable) on every connection: the client must IDENTIFY again. */
  invalidateSessions(): void;
  /** Sends a gateway dispatch as given (`d` may be anything: a malformed event) on every connection. */
  dispatch(t: string, d: unknown): void;
  /** The id of an interaction's original response message (a thread opened from it has this id). */
  originalMessageId(token: string): string;
  /** A public thread a person opened in `parentId` (not Hive's): announced by THREAD_CREATE; returns its id. */
  userThread(parentId: string, name?: string): string;
  /** A private thread a person opened in `parentId`, with these members (and who may manage threads): announced by THREAD_CREATE; returns its id. */
  privateThread(parentId: string, members: string[]): string;
  /** Sends an INTERACTION_CREATE for a slash command; returns the interaction's id and token. */
  interaction(spec: InteractionSpec): { id: string; token: string };
  /** Sends an INTERACTION_CREATE for autocomplete: the user is typing `options`' focused one. */
  autocomplete(spec: InteractionSpec): { id: string; token: string };
  /**
   * Sends an INTERACTION_CREATE for a submitted modal, each field in a Label as Discord sends forms
   * built with labels: text inputs' values by custom id, and selects' chosen values.
   */
  modalSubmit(spec: Omit<InteractionSpec, 'name' | 'options'> & { customId: string; fields: Record<string, string>; selects?: Record<string, string[]> }): {
    id: string;
    token: string;
  };
  /**
   * Sends an INTERACTION_CREATE for a button pressed on a message the fake holds (MESSAGE_COMPONENT,
   * the message as Discord attaches it). Resolves the interaction's id and token.
   */
  press(spec: Omit<InteractionSpec, 'name' | 'options'> & { messageId: string; customId: string }): { id: string; token: string };
  /** Sends an interaction again exactly as it was sent (a gateway replaying it): same id, same token. */
  redeliver(interactionId: string): void;
  /** Resolves when a request matching `pred` has arrived (or one already has). */
  waitFor(pred: (r: DiscordRequest) => boolean, timeoutMs?: number): Promise<DiscordRequest>;
  /** Holds the next request matching `pred` unanswered (it is recorded at once) until `release()` is called. */
  holdNext(pred: (r: DiscordRequest) => boolean): () => void;
  /** Answers the next request matching `pred` with this status and body (e.g. a 429). */
  failNext(pred: (r: DiscordRequest) => boolean, status: number, body: Record<string, unknown>, headers?: Record<string, string>): void;
  close(): Promise<void>;
  /** Attachments on loopback, as Discord's CDN serves them. */
  cdn: FakeDiscordCdn;
}

/** The id the fake gives an interaction's original response: stable per token. */
const originalId = (token: string) => String(900_000_000_000_000_000n + (BigInt(`0x${token.replace(/\W/g, '').slice(-12) || '0'}`) % 99_999_999_999_999n));

export async function startFakeDiscord(o: { guilds: FakeGuild[]; sessionStartsLeft?: number }): Promise<FakeDiscord> {
  const requests: DiscordRequest[] = [];
  const identifies: Record<string, unknown>[] = [];
  const resumes: Record<string, unknown>[] = [];
  const sessions = new Set<string>();
  const waiters = new Set<() => void>();
  const failures: { pred: (r: DiscordRequest) => boolean; status: number; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const holds: { pred: (r: DiscordRequest) => boolean; released: Promise<void> }[] = [];
  /** Interactions that have had their first response (a deferral, a reply, a form). */
  const acknowledged = new Set<string>();
  const sockets = new Set<WebSocket>();
  /** The channel each interaction token answers in. */
  const interactionChannel = new Map<string, string>();
  /** Thread id → its parent channel and guild. */
  const threads = new Map<string, { parentId: string; guildId: string; ownerId?: string; members?: string[] }>();
  /** Messages created with `enforce_nonce`, by nonce (Discord keeps them a few minutes; the fake, for its life). */
  const nonces = new Map<string, Record<string, unknown>>();
  /** Every interaction sent, by id, for a redelivery. */
  const sentInteractions = new Map<string, unknown>();
  let seq = 0;
  const server = http.createServer((req, res) => void route(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/gateway')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => gateway(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const cdn = createFakeCdn(`http://127.0.0.1:${port}`);

  const send = (ws: WebSocket, op: number, d: unknown, t: string | null = null) => ws.send(JSON.stringify({ op, d, s: op === 0 ? ++seq : null, t }));
  const dispatchAll = (t: string, d: unknown) => {
    for (const ws of sockets) send(ws, 0, d, t);
  };
  /** Every message posted or announced, per channel (threads included), and the gateway events about them. */
  const msgs = createFakeMessages({ dispatch: dispatchAll, guildOf: (channelId) => guildOf(channelId) });

  function gateway(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    send(ws, 10, { heartbeat_interval: 41_250 });
    ws.on('message', (raw: Buffer) => {
      const frame = JSON.parse(raw.toString('utf8')) as { op: number; d: Record<string, unknown> };
      if (frame.op === 1) send(ws, 11, null);
      if (frame.op === 6) return resume(ws, frame.d);
      if (frame.op !== 2) return;
      identifies.push(frame.d);
      const sessionId = randomBytes(8).toString('hex');
      sessions.add(sessionId);
      send(
        ws,
        0,
        {
          v: 10,
          user: BOT_USER,
          guilds: o.guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: sessionId,
          resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        },
        'READY',
      );
      for (const g of o.guilds) send(ws, 0, guildPayload(g), 'GUILD_CREATE');
    });
  }

  function resume(ws: WebSocket, d: Record<string, unknown>): void {
    resumes.push(d);
    if (sessions.has(String(d['session_id']))) send(ws, 0, {}, 'RESUMED');
    else send(ws, 9, false);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (cdn.serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const sent = await readDiscordBody(req);
    const files = sent.files.length > 0 ? { files: sent.files } : {};
    const r: DiscordRequest = { method: req.method ?? 'GET', path, query: url.search, headers: req.headers, body: sent.body, ...files, at: Date.now() };
    requests.push(r);
    for (const w of [...waiters]) w();
    const held = holds.findIndex((h) => h.pred(r));
    if (held >= 0) await holds.splice(held, 1)[0]!.released;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (sent.invalid) return json(400, { ...INVALID_FORM_BODY, errors: sent.invalid });
    const fail = failures.findIndex((f) => f.pred(r));
    if (fail >= 0) {
      const [f] = failures.splice(fail, 1);
      return json(f!.status, f!.body, f!.headers);
    }
    if (r.method === 'GET' && path === '/gateway/bot') {
      return json(200, {
        url: `ws://127.0.0.1:${port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: o.sessionStartsLeft ?? 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    let m: RegExpExecArray | null;
    // An interaction callback is answered 204 with no content type (an empty JSON body breaks @discordjs/rest).
    if (r.method === 'POST' && (m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(path))) {
      // A reply as the first response is the interaction's original message, as a deferred one becomes once edited.
      const data = r.body?.['data'] as Record<string, unknown> | undefined;
      acknowledged.add(m[1]!);
      if (r.body?.['type'] === 4 && data) {
        const channel = interactionChannel.get(m[1]!) ?? '0';
        msgs.hiveWrote(channel, messageOf(channel, data, originalId(m[1]!)));
      }
      res.writeHead(204);
      return void res.end();
    }
    if (r.method === 'PATCH' && (m = /^\/(?:webhooks\/\d+\/([^/]+)|channels\/(\d+))\/messages\/(@original|\d+)$/.exec(path))) {
      const channel = m[1] !== undefined ? (interactionChannel.get(m[1]) ?? '0') : m[2]!;
      const edited = msgs.find(channel, m[3] === '@original' ? originalId(m[1]!) : m[3]!);
      if (dropsComponentsV2(edited, r.body)) return json(400, COMPONENTS_V2_KEPT);
    }
    // The original response, once there is one (a deferral is a message that says Hive is thinking).
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path)) && r.method === 'GET') {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      const original = msgs.find(channel, originalId(m[1]!)) ?? messageOf(channel, { flags: 128 }, originalId(m[1]!));
      return acknowledged.has(m[1]!) ? json(200, original) : json(404, { message: 'Unknown Message', code: 10008 });
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path))) {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      return json(200, msgs.hiveWrote(channel, withAttachments(messageOf(channel, r.body, originalId(m[1]!)), sent, `http://127.0.0.1:${port}`)));
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/(\d+)$/.exec(path)) && r.method === 'PATCH') {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      return json(200, msgs.hiveWrote(channel, { ...messageOf(channel, r.body, m[2]!), edited_timestamp: new Date().toISOString() }));
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)$/.exec(path)) && r.method === 'POST') {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      return json(200, msgs.hiveWrote(channel, withAttachments(messageOf(channel, r.body), sent, `http://127.0.0.1:${port}`)));
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && r.method === 'POST') {
      // `enforce_nonce`: a second create with a nonce seen lately returns the first message, posting nothing.
      const nonce = r.body?.['enforce_nonce'] === true && r.body['nonce'] !== undefined ? String(r.body['nonce']) : undefined;
      const earlier = nonce === undefined ? undefined : nonces.get(nonce);
      if (earlier) return json(200, earlier);
      const created = msgs.hiveWrote(m[1]!, messageOf(m[1]!, r.body));
      if (nonce !== undefined) nonces.set(nonce, created);
      return json(200, created);
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && r.method === 'GET') {
      // Newest first, as Discord returns a channel's messages; `limit` and `before` honoured.
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const before = url.searchParams.get('before');
      const older = (x: Record<string, unknown>) => before === null || BigInt(String(x['id'])) < BigInt(before);
      return json(200, msgs.messagesIn(m[1]!).reverse().filter(older).slice(0, limit));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && r.method === 'GET') {
      const found = msgs.find(m[1]!, m[2]!);
      return found ? json(200, found) : json(404, { message: 'Unknown Message', code: 10008 });
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && r.method === 'PATCH')
      return json(200, msgs.hiveWrote(m[1]!, { ...messageOf(m[1]!, r.body, m[2]!), edited_timestamp: new Date().toISOString() }));
    if ((m = /^\/channels\/(\d+)\/messages\/([^/]+)\/threads$/.exec(path)) && r.method === 'POST') {
      const parent = m[1]!;
      const guildId = guildOf(parent);
      // A thread started from a message has the message's id (so its starter message is found by it).
      if (threads.has(m[2]!)) return json(400, { message: 'A thread has already been created for this message', code: 160004 });
      const thread = threadPayload(m[2]!, parent, guildId, String(r.body?.['name'] ?? 'thread'));
      threads.set(thread.id, { parentId: parent, guildId });
      dispatchAll('THREAD_CREATE', { ...thread, newly_created: true });
      return json(201, thread);
    }
    if (r.method === 'PUT' && /^\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      const list = Array.isArray(r.body) ? (r.body as Record<string, unknown>[]) : [];
      return json(
        200,
        list.map((c) => ({ ...c, id: snowflake(), application_id: APPLICATION_ID, version: snowflake() })),
      );
    }
    // A channel or thread as REST returns it (a worker's client, with no gateway cache, fetches it so).
    if ((m = /^\/channels\/(\d+)$/.exec(path)) && r.method === 'GET') return json(200, channelPayload(m[1]!, guildOf(m[1]!)));
    if ((m = /^\/channels\/(\d+)\/thread-members\/(\d+)$/.exec(path)) && r.method === 'GET') {
      const t = threads.get(m[1]!);
      const member = t && (t.members ? t.members.includes(m[2]!) : true);
      return member
        ? json(200, { id: m[1], user_id: m[2], join_timestamp: new Date(0).toISOString(), flags: 0 })
        : json(404, { message: 'Unknown Member', code: 10007 });
    }
    // A server as REST returns it to a bot in it; any other id is unknown to the bot.
    if ((m = /^\/guilds\/(\d+)$/.exec(path)) && r.method === 'GET') {
      const g = o.guilds.find((x) => x.id === m![1]);
      return g ? json(200, { id: g.id, name: `server ${g.id}` }) : json(404, { message: 'Unknown Guild', code: 10004 });
    }
    if ((m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path)) && r.method === 'GET') {
      const roles = o.guilds.find((g) => g.id === m![1])?.members?.[m[2]!];
      return roles ? json(200, memberPayload(m[2]!, roles)) : json(404, { message: 'Unknown Member', code: 10007 });
    }
    if (r.method === 'POST' && /^\/channels\/\d+\/typing$/.test(path)) {
      res.writeHead(204);
      return void res.end();
    }
    json(404, { message: 'Unknown route (fake Discord)', code: 0 });
  }

  /** Sends an INTERACTION_CREATE of `type` (2 a slash command, 5 a modal submission) with `data`. */
  function sendInteraction(spec: Omit<InteractionSpec, 'name' | 'options'>, type: number, data: Record<string, unknown>): { id: string; token: string } {
    const id = snowflake();
    const token = `itoken-${randomBytes(12).toString('hex')}`;
    interactionChannel.set(token, spec.channelId);
    const user = { id: spec.userId ?? '300000000000000009', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };
    const d = {
      id,
      application_id: APPLICATION_ID,
      type,
      token,
      version: 1,
      guild_id: spec.guildId,
      channel_id: spec.channelId,
      channel: channelPayload(spec.channelId, spec.guildId),
      member: { user, roles: [], permissions: spec.permissions ?? '0', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
      data,
      app_permissions: '0',
      locale: 'en-US',
      guild_locale: 'en-US',
      entitlements: [],
      authorizing_integration_owners: { 0: spec.guildId },
      context: 0,
    };
    const sent = spec.tamper ? spec.tamper(d) : d;
    sentInteractions.set(id, sent);
    dispatchAll('INTERACTION_CREATE', sent);
    return { id, token };
  }

  /** The channel an interaction came from: one of the fake's threads, or a text channel. */
  const channelPayload = (channelId: string, guildId: string) => {
    const t = threads.get(channelId);
    return t
      ? threadPayload(channelId, t.parentId, t.guildId, 'thread', t.ownerId, t.members ? 12 : 11)
      : { id: channelId, type: 0, guild_id: guildId, name: 'general' };
  };
  const guildOf = (channelId: string) => threads.get(channelId)?.guildId ?? o.guilds.find((g) => g.channels.some((c) => c.id === channelId))?.id ?? '0';

  return {
    cdn: cdn.control,
    apiUrl: `http://127.0.0.1:${port}/api`,
    messagesIn: msgs.messagesIn,
    userMessage: msgs.userMessage,
    replayMessage: msgs.replayMessage,
    editMessage: msgs.editMessage,
    resolveEmbed: msgs.resolveEmbed,
    deleteMessage: msgs.deleteMessage,
    bulkDelete: msgs.bulkDelete,
    requests,
    identifies,
    originalMessageId: (token) => originalId(token),
    interaction(spec) {
      return sendInteraction(spec, 2, {
        id: snowflake(),
        name: spec.name,
        type: 1,
        options: spec.options ?? [],
        ...(spec.resolved ? { resolved: spec.resolved } : {}),
      });
    },
    autocomplete(spec) {
      return sendInteraction(spec, 4, { id: snowflake(), name: spec.name, type: 1, options: spec.options ?? [] });
    },
    modalSubmit(spec) {
      const texts = Object.entries(spec.fields).map(([custom_id, value], k) => ({ type: 18, id: k + 1, component: { type: 4, id: k + 11, custom_id, value } }));
      const selects = Object.entries(spec.selects ?? {}).map(([custom_id, values], k) => ({
        type: 18,
        id: k + 21,
        component: { type: 3, id: k + 31, custom_id, values },
      }));
      return sendInteraction(spec, 5, { custom_id: spec.customId, components: [...selects, ...texts] });
    },
    press(spec) {
      const message = msgs.find(spec.channelId, spec.messageId);
      if (!message) throw new Error(`fake Discord: no message ${spec.messageId} in ${spec.channelId} to press a button on`);
      const sent = sendInteraction({ ...spec, tamper: (d) => (spec.tamper ?? ((x) => x))({ ...d, message }) }, 3, {
        custom_id: spec.customId,
        component_type: 2,
      });
      return sent;
    },
    redeliver(interactionId) {
      if (sentInteractions.has(interactionId)) dispatchAll('INTERACTION_CREATE', sentInteractions.get(interactionId));
    },
    waitFor(pred, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = requests.find(pred);
          if (!hit) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Discord: no matching request within ${timeoutMs} ms; saw ${requests.map((x) => `${x.method} ${x.path}`).join(', ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    resumes,
    userThread(parentId, name = 'a person’s thread') {
      const id = snowflake();
      const guildId = guildOf(parentId);
      const ownerId = '300000000000000009';
      threads.set(id, { parentId, guildId, ownerId });
      dispatchAll('THREAD_CREATE', { ...threadPayload(id, parentId, guildId, name, ownerId), newly_created: true });
      return id;
    },
    privateThread(parentId, members) {
      const id = snowflake();
      const guildId = guildOf(parentId);
      const ownerId = members[0] ?? '300000000000000009';
      threads.set(id, { parentId, guildId, ownerId, members });
      dispatchAll('THREAD_CREATE', { ...threadPayload(id, parentId, guildId, 'a private thread', ownerId, 12), newly_created: true });
      return id;
    },
    dropConnections(code = 4000) {
      for (const ws of sockets) ws.close(code, 'fake Discord: connection dropped');
    },
    dispatch: dispatchAll,
    invalidateSessions() {
      sessions.clear();
      for (const ws of sockets) send(ws, 9, false);
    },
    holdNext(pred) {
      let release = () => undefined as void;
      holds.push({ pred, released: new Promise<void>((r) => (release = r)) });
      return () => release();
    },
    failNext(pred, status, body, headers = {}) {
      failures.push({ pred, status, body, headers });
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
