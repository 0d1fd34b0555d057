import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** One REST request the fake received, path URL-decoded and without the `/api/v10` prefix. */
export interface DiscordRequest {
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  /** The JSON body (an array for bulk routes such as command registration). */
  body: Record<string, unknown> | undefined;
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

/** A guild as the fake's gateway announces it. */
export interface FakeGuild {
  id: string;
  channels: { id: string; name: string }[];
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
}

/** A fake Discord: REST under `/api/v10` and a JSON gateway at `/gateway`, on one loopback port. */
export interface FakeDiscord {
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
  /** The messages of a channel or thread, oldest first (posted by Hive, or by users through `userMessage`). */
  messagesIn(channelId: string): Record<string, unknown>[];
  /** A message from a person (or another bot) in a channel or thread: stored, and sent as MESSAGE_CREATE unless `quietly` (sent while Hive was away). */
  userMessage(spec: { channelId: string; content: string; userId?: string; bot?: boolean; mentionBot?: boolean; quietly?: boolean }): string;
  /** The id of an interaction's original response message (a thread opened from it has this id). */
  originalMessageId(token: string): string;
  /** Sends a gateway dispatch again, as a resumed session may replay one (`MESSAGE_CREATE` of a message id). */
  replayMessage(channelId: string, messageId: string): void;
  /** Sends an INTERACTION_CREATE for a slash command; returns the interaction's id and token. */
  interaction(spec: InteractionSpec): { id: string; token: string };
  /** Sends an INTERACTION_CREATE for autocomplete: the user is typing `options`' focused one. */
  autocomplete(spec: InteractionSpec): { id: string; token: string };
  /** Sends an INTERACTION_CREATE for a submitted modal (text inputs by custom id). */
  modalSubmit(spec: Omit<InteractionSpec, 'name' | 'options'> & { customId: string; fields: Record<string, string> }): { id: string; token: string };
  /** Resolves when a request matching `pred` has arrived (or one already has). */
  waitFor(pred: (r: DiscordRequest) => boolean, timeoutMs?: number): Promise<DiscordRequest>;
  /** Answers the next request matching `pred` with this status and body (e.g. a 429). */
  failNext(pred: (r: DiscordRequest) => boolean, status: number, body: Record<string, unknown>, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export const APPLICATION_ID = '100000000000000001';
export const BOT_USER = { id: '100000000000000002', username: 'hive', discriminator: '0', global_name: null, avatar: null, bot: true };
let snowflakes = 200_000_000_000_000_000n;
/** A fresh snowflake id. */
export const snowflake = () => String(snowflakes++);

function guildPayload(g: FakeGuild) {
  return {
    id: g.id,
    name: `guild ${g.id}`,
    icon: null,
    owner_id: '300000000000000001',
    roles: [{ id: g.id, name: '@everyone', permissions: '0', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    channels: g.channels.map((c) => ({ id: c.id, type: 0, name: c.name, guild_id: g.id, position: 0, permission_overwrites: [], parent_id: null })),
    threads: [],
    members: [{ user: BOT_USER, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 }],
    emojis: [],
    stickers: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    features: [],
    member_count: 2,
    large: false,
    unavailable: false,
    joined_at: new Date(0).toISOString(),
    preferred_locale: 'en-US',
    system_channel_flags: 0,
    premium_tier: 0,
    nsfw_level: 0,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    afk_timeout: 300,
  };
}

/** A thread channel as Discord returns and announces it (public thread, type 11), owned by the bot. */
function threadPayload(id: string, parentId: string, guildId: string, name: string) {
  return {
    id,
    type: 11,
    guild_id: guildId,
    parent_id: parentId,
    name,
    owner_id: BOT_USER.id,
    last_message_id: null,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    flags: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

/** The id the fake gives an interaction's original response: stable per token. */
const originalId = (token: string) => String(900_000_000_000_000_000n + (BigInt(`0x${token.replace(/\W/g, '').slice(-12) || '0'}`) % 99_999_999_999_999n));

/** A message object as Discord returns it for a create or an edit. */
function messageOf(channelId: string, body: Record<string, unknown> | undefined, id = snowflake()) {
  return {
    id,
    channel_id: channelId,
    author: BOT_USER,
    content: typeof body?.['content'] === 'string' ? body['content'] : '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    tts: false,
    mention_everyone: false,
    type: 0,
    flags: 0,
  };
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

export async function startFakeDiscord(o: { guilds: FakeGuild[]; sessionStartsLeft?: number }): Promise<FakeDiscord> {
  const requests: DiscordRequest[] = [];
  const identifies: Record<string, unknown>[] = [];
  const resumes: Record<string, unknown>[] = [];
  const sessions = new Set<string>();
  const waiters = new Set<() => void>();
  const failures: { pred: (r: DiscordRequest) => boolean; status: number; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const sockets = new Set<WebSocket>();
  /** Every message posted or announced, per channel (threads included), oldest first. */
  const messages = new Map<string, Record<string, unknown>[]>();
  /** The channel each interaction token answers in. */
  const interactionChannel = new Map<string, string>();
  /** Thread id → its parent channel and guild. */
  const threads = new Map<string, { parentId: string; guildId: string }>();
  const keep = (channelId: string, m: Record<string, unknown>) => {
    const list = messages.get(channelId) ?? messages.set(channelId, []).get(channelId)!;
    const at = list.findIndex((x) => x['id'] === m['id']);
    if (at >= 0) list[at] = m;
    else list.push(m);
    return m;
  };
  let seq = 0;
  const server = http.createServer((req, res) => void route(req, res));
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!req.url?.startsWith('/gateway')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => gateway(ws));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  const send = (ws: WebSocket, op: number, d: unknown, t: string | null = null) => ws.send(JSON.stringify({ op, d, s: op === 0 ? ++seq : null, t }));
  const dispatchAll = (t: string, d: unknown) => {
    for (const ws of sockets) send(ws, 0, d, t);
  };

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
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname.replace(/^\/api\/v\d+/, ''));
    const r: DiscordRequest = { method: req.method ?? 'GET', path, query: url.search, headers: req.headers, body: await readBody(req), at: Date.now() };
    requests.push(r);
    for (const w of [...waiters]) w();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
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
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path))) {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      return json(200, keep(channel, messageOf(channel, r.body, originalId(m[1]!))));
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)$/.exec(path)) && r.method === 'POST') {
      const channel = interactionChannel.get(m[1]!) ?? '0';
      return json(200, keep(channel, messageOf(channel, r.body)));
    }
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && r.method === 'POST') return json(200, keep(m[1]!, messageOf(m[1]!, r.body)));
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && r.method === 'GET') {
      // Newest first, as Discord returns a channel's messages; `limit` honoured.
      const limit = Number(url.searchParams.get('limit') ?? 50);
      return json(200, [...(messages.get(m[1]!) ?? [])].reverse().slice(0, limit));
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && r.method === 'GET') {
      const found = messages.get(m[1]!)?.find((x) => x['id'] === m![2]);
      return found ? json(200, found) : json(404, { message: 'Unknown Message', code: 10008 });
    }
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && r.method === 'PATCH') return json(200, keep(m[1]!, messageOf(m[1]!, r.body, m[2]!)));
    if ((m = /^\/channels\/(\d+)\/messages\/([^/]+)\/threads$/.exec(path)) && r.method === 'POST') {
      const parent = m[1]!;
      const guildId = guildOf(parent);
      // A thread started from a message has the message's id (so its starter message is found by it).
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
    dispatchAll('INTERACTION_CREATE', {
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
    });
    return { id, token };
  }

  /** The channel an interaction came from: one of the fake's threads, or a text channel. */
  const channelPayload = (channelId: string, guildId: string) => {
    const t = threads.get(channelId);
    return t ? threadPayload(channelId, t.parentId, t.guildId, 'thread') : { id: channelId, type: 0, guild_id: guildId, name: 'general' };
  };
  const guildOf = (channelId: string) => threads.get(channelId)?.guildId ?? o.guilds.find((g) => g.channels.some((c) => c.id === channelId))?.id ?? '0';

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    messagesIn: (channelId) => [...(messages.get(channelId) ?? [])],
    userMessage(spec) {
      const author = spec.bot
        ? { id: '500000000000000001', username: 'otherbot', discriminator: '0', global_name: null, avatar: null, bot: true }
        : { id: spec.userId ?? '300000000000000009', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };
      const id = snowflake();
      const guildId = guildOf(spec.channelId);
      const mentions = spec.mentionBot ? [BOT_USER] : [];
      const m = {
        ...messageOf(spec.channelId, { content: spec.mentionBot ? `<@${BOT_USER.id}> ${spec.content}` : spec.content }, id),
        author,
        mentions,
        guild_id: guildId,
        member: { roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
      };
      keep(spec.channelId, m);
      if (!spec.quietly) dispatchAll('MESSAGE_CREATE', m);
      return id;
    },
    requests,
    identifies,
    originalMessageId: (token) => originalId(token),
    replayMessage(channelId, messageId) {
      const m = messages.get(channelId)?.find((x) => x['id'] === messageId);
      if (m) dispatchAll('MESSAGE_CREATE', m);
    },
    interaction(spec) {
      return sendInteraction(spec, 2, { id: snowflake(), name: spec.name, type: 1, options: spec.options ?? [] });
    },
    autocomplete(spec) {
      return sendInteraction(spec, 4, { id: snowflake(), name: spec.name, type: 1, options: spec.options ?? [] });
    },
    modalSubmit(spec) {
      const components = Object.entries(spec.fields).map(([custom_id, value]) => ({ type: 1, components: [{ type: 4, custom_id, value }] }));
      return sendInteraction(spec, 5, { custom_id: spec.customId, components });
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
    dropConnections(code = 4000) {
      for (const ws of sockets) ws.close(code, 'fake Discord: connection dropped');
    },
    invalidateSessions() {
      sessions.clear();
      for (const ws of sockets) send(ws, 9, false);
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
