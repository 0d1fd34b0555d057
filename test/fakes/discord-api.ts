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

/** A guild as the fake's gateway announces it. */
export interface FakeGuild {
  id: string;
  channels: { id: string; name: string }[];
}

export interface InteractionSpec {
  name: string;
  options?: { name: string; type: number; value: string | number | boolean }[];
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
  /** Sends an INTERACTION_CREATE for a slash command; returns the interaction's id and token. */
  interaction(spec: InteractionSpec): { id: string; token: string };
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

export async function startFakeDiscord(o: { guilds: FakeGuild[] }): Promise<FakeDiscord> {
  const requests: DiscordRequest[] = [];
  const identifies: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  const failures: { pred: (r: DiscordRequest) => boolean; status: number; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const sockets = new Set<WebSocket>();
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
      const frame = JSON.parse(raw.toString('utf8')) as { op: number; d: unknown };
      if (frame.op === 1) send(ws, 11, null);
      if (frame.op !== 2) return;
      identifies.push(frame.d as Record<string, unknown>);
      send(
        ws,
        0,
        {
          v: 10,
          user: BOT_USER,
          guilds: o.guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: randomBytes(8).toString('hex'),
          resume_gateway_url: `ws://127.0.0.1:${port}/gateway`,
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        },
        'READY',
      );
      for (const g of o.guilds) send(ws, 0, guildPayload(g), 'GUILD_CREATE');
    });
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
        session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
      });
    }
    let m: RegExpExecArray | null;
    // An interaction callback is answered 204 with no content type (an empty JSON body breaks @discordjs/rest).
    if (r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      res.writeHead(204);
      return void res.end();
    }
    if ((m = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(path))) return json(200, messageOf('webhook', r.body, `orig-${m[1]!.slice(0, 8)}`));
    if (r.method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/.test(path)) return json(200, messageOf('webhook', r.body));
    if ((m = /^\/channels\/(\d+)\/messages$/.exec(path)) && r.method === 'POST') return json(200, messageOf(m[1]!, r.body));
    if ((m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && r.method === 'PATCH') return json(200, messageOf(m[1]!, r.body, m[2]!));
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

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    requests,
    identifies,
    interaction(spec) {
      const id = snowflake();
      const token = `itoken-${randomBytes(12).toString('hex')}`;
      const user = { id: spec.userId ?? '300000000000000009', username: 'alice', discriminator: '0', global_name: 'Alice', avatar: null };
      dispatchAll('INTERACTION_CREATE', {
        id,
        application_id: APPLICATION_ID,
        type: 2,
        token,
        version: 1,
        guild_id: spec.guildId,
        channel_id: spec.channelId,
        channel: { id: spec.channelId, type: 0, guild_id: spec.guildId, name: 'general' },
        member: { user, roles: [], permissions: spec.permissions ?? '0', joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 },
        data: { id: snowflake(), name: spec.name, type: 1, options: spec.options ?? [] },
        app_permissions: '0',
        locale: 'en-US',
        guild_locale: 'en-US',
        entitlements: [],
        authorizing_integration_owners: { 0: spec.guildId },
        context: 0,
      });
      return { id, token };
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
