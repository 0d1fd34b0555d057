import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeSlackFiles, type FakeSlackFile, type FakeSlackFiles } from './slack-files.ts';
import { createFakeSlackUploads, type FakeSlackUploads } from './slack-uploads.ts';

/** One bot installation the fake knows, by its token. */
export interface FakeSlackWorkspace {
  teamId: string;
  teamName?: string;
  /** The team's address `auth.test` answers with (default `https://fake.slack.com/`). */
  url?: string;
  botUserId: string;
  botId: string;
}

/** One request the fake received: a Web API method or a `response_url` POST. */
export interface FakeSlackCall {
  /** `chat.postMessage`, …, or `response_url`. */
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The bearer token sent, if any. */
  token: string | undefined;
  /** Form or JSON fields; `blocks`, `view` and other JSON-valued form fields are parsed. */
  body: Record<string, unknown>;
  raw: string;
  /** When it arrived, by the fake's clock (`now`). */
  at: number;
  /** What the fake answered (a post's `ts` among it). */
  result?: Record<string, unknown>;
}

/** A scripted answer for the next call to a method. */
export interface FakeSlackScript {
  status?: number;
  headers?: Record<string, string>;
  body?: Record<string, unknown>;
}

export interface FakeSlackOptions {
  /** Bot tokens and the workspaces they belong to (answers `auth.test`). */
  workspaces?: Record<string, FakeSlackWorkspace>;
  /** `users.info` answers; unknown users are plain members. `users.list` lists these people, a page at a time. */
  users?: Record<string, { is_admin?: boolean; is_owner?: boolean; name?: string; display_name?: string; real_name?: string; deleted?: boolean }>;
  /** `oauth.v2.access` codes and the installation each yields. */
  oauthCodes?: Record<string, { token: string } & FakeSlackWorkspace>;
  /** The WebSocket URL `apps.connections.open` hands out (Socket Mode). */
  socketModeUrl?: string;
  /** The clock that stamps each call's `at` (share the bot's fake clock); real time by default. */
  now?: () => number;
  /** `conversations.history` of each channel, any order (answered newest first, `limit` and `cursor` honoured). */
  history?: Record<string, Record<string, unknown>[]>;
  /**
   * Who is in each conversation (`conversations.members`; a DM's entry is its one person, as
   * `conversations.info` names it); conversations not listed are unknown (`channel_not_found`).
   */
  members?: Record<string, string[]>;
  /** Message ts from the clock (`<epoch s>.<counter>`), as Slack's are, instead of fixed `1700000000.<counter>`. */
  clockTs?: boolean;
  /**
   * Refuse native streaming (`chat.*Stream`) and assistant statuses with this error, as a workspace
   * without them answers (`missing_scope`, `feature_not_enabled`, …); absent: both work.
   */
  refuseStreaming?: string;
  /** Files people shared: `files.info`, `files.list` and their private downloads (bot token required). */
  files?: FakeSlackFile[];
}

/** A running fake of the Slack Web API on 127.0.0.1. */
export interface FakeSlack {
  /** The value for `SLACK_API_URL`. */
  apiUrl: string;
  origin: string;
  calls: FakeSlackCall[];
  /** Calls of one method, in arrival order. */
  of(method: string): FakeSlackCall[];
  /** Queues the answer for the next call of `method`. */
  script(method: string, answer: FakeSlackScript): void;
  /** A `response_url` that records what is posted to it. */
  responseUrl(id: string): string;
  /** Polls until `predicate` holds (or fails after `timeoutMs`). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  /** Shared files: add more, make one fail, see every download and the token it carried. */
  files: FakeSlackFiles;
  /** Files the bot uploaded (external upload) and where it shared them. */
  uploads: FakeSlackUploads;
}

const JSON_FIELDS = new Set(['blocks', 'view', 'attachments', 'metadata', 'chunks', 'prompts', 'loading_messages']);

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) out[k] = JSON_FIELDS.has(k) ? tryJson(v) : v;
  return out;
}

function tryJson(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface State {
  opts: FakeSlackOptions;
  calls: FakeSlackCall[];
  scripts: Map<string, FakeSlackScript[]>;
  ts: number;
  /** The last clock ts handed out, in microseconds (each new one is later). */
  lastMicros: number;
  /** Messages the bot posted, by channel, as history shows them to a reader asking for metadata. */
  posted: Map<string, Record<string, unknown>[]>;
  files?: ReturnType<typeof createFakeSlackFiles>;
  uploads?: ReturnType<typeof createFakeSlackUploads>;
}

function nextTs(s: State): string {
  s.ts += 1;
  if (!s.opts.clockTs) return `1700000000.${String(s.ts).padStart(6, '0')}`;
  s.lastMicros = Math.max(s.lastMicros + 1, (s.opts.now ?? Date.now)() * 1000);
  return (s.lastMicros / 1e6).toFixed(6);
}

/** The default answer of each method, shaped like Slack's. */
function answer(s: State, call: FakeSlackCall): Record<string, unknown> {
  const b = call.body;
  const ws = call.token ? s.opts.workspaces?.[call.token] : undefined;
  const file = s.files?.answer(call.method, b, ws?.teamId) ?? s.uploads?.answer(call.method, b, ws?.teamId);
  if (file) return file;
  switch (call.method) {
    case 'auth.test':
      if (!ws) return { ok: false, error: 'invalid_auth' };
      return {
        ok: true,
        url: ws.url ?? 'https://fake.slack.com/',
        team: ws.teamName ?? ws.teamId,
        user: 'hive',
        team_id: ws.teamId,
        user_id: ws.botUserId,
        bot_id: ws.botId,
      };
    case 'chat.postMessage':
      return posted(s, b, ws);
    case 'chat.update':
      return { ok: true, channel: b.channel, ts: b.ts, text: b.text };
    case 'chat.postEphemeral':
      return { ok: true, message_ts: nextTs(s) };
    case 'chat.delete':
      return { ok: true, channel: b.channel, ts: b.ts };
    case 'views.open':
    case 'views.update':
      return { ok: true, view: { id: typeof b.view_id === 'string' ? b.view_id : `V${s.ts + 1}`, ...(b.view as object) } };
    case 'users.info':
      return { ok: true, user: { id: b.user, is_admin: false, is_owner: false, ...s.opts.users?.[String(b.user)] } };
    case 'users.list':
      return usersPage(s, b);
    case 'oauth.v2.access':
      return oauthAccess(s, String(b.code));
    case 'response_url':
      return { ok: true };
    case 'conversations.history':
      return historyPage([...(s.opts.history?.[String(b.channel)] ?? []), ...ownPosts(s, b, (m) => m.thread_ts === undefined || m.thread_ts === m.ts)], b);
    case 'conversations.replies':
      return historyPage(
        ownPosts(s, b, (m) => m.thread_ts === b.ts || m.ts === b.ts),
        b,
      );
    case 'conversations.info':
      return conversationInfo(s, String(b.channel));
    case 'conversations.members':
      return membersPage(s, b);
    case 'chat.startStream':
    case 'chat.appendStream':
    case 'chat.stopStream':
    case 'assistant.threads.setStatus':
    case 'assistant.threads.setSuggestedPrompts':
      return streamAnswer(s, call.method, b);
    case 'apps.connections.open':
      return s.opts.socketModeUrl ? { ok: true, url: s.opts.socketModeUrl } : { ok: false, error: 'invalid_auth' };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

/** Native streams and assistant calls: a stream's start hands out a ts, later calls name it; a refusing workspace answers its error. */
function streamAnswer(s: State, method: string, b: Record<string, unknown>): Record<string, unknown> {
  if (s.opts.refuseStreaming) return { ok: false, error: s.opts.refuseStreaming };
  if (method === 'chat.startStream') {
    if (typeof b.thread_ts !== 'string') return { ok: false, error: 'invalid_arguments' };
    return { ok: true, channel: b.channel, ts: nextTs(s) };
  }
  if (method === 'chat.appendStream' || method === 'chat.stopStream') return { ok: true, channel: b.channel, ts: b.ts };
  return { ok: true };
}

/** A bot post: recorded with its metadata, as Slack keeps it. */
function posted(s: State, b: Record<string, unknown>, ws: FakeSlackWorkspace | undefined): Record<string, unknown> {
  const ts = nextTs(s);
  const channel = String(b.channel);
  const m = {
    ts,
    text: b.text,
    user: ws?.botUserId,
    bot_id: ws?.botId,
    ...(b.thread_ts ? { thread_ts: b.thread_ts } : {}),
    ...(b.metadata ? { metadata: b.metadata } : {}),
  };
  s.posted.set(channel, [...(s.posted.get(channel) ?? []), m]);
  return { ok: true, channel: b.channel, ts, message: { text: b.text, user: ws?.botUserId, bot_id: ws?.botId } };
}

/** The bot's own posts in a channel, only for a reader asking for metadata (what a resumed job looks for). */
function ownPosts(s: State, b: Record<string, unknown>, keep: (m: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  if (b.include_all_metadata !== 'true' && b.include_all_metadata !== true) return [];
  return (s.posted.get(String(b.channel)) ?? []).filter(keep);
}

/** A conversation as `conversations.info` shows it: DMs (ids starting with `D`) name their person. */
function conversationInfo(s: State, channel: string): Record<string, unknown> {
  const members = s.opts.members?.[channel];
  if (!members) return { ok: false, error: 'channel_not_found' };
  const im = channel.startsWith('D');
  return { ok: true, channel: { id: channel, is_im: im, ...(im ? { user: members[0] } : { is_private: channel.startsWith('G') }) } };
}

/** A page of a conversation's members, `limit` and `cursor` honoured. */
function membersPage(s: State, b: Record<string, unknown>): Record<string, unknown> {
  const members = s.opts.members?.[String(b.channel)];
  if (!members) return { ok: false, error: 'channel_not_found' };
  const from = Number(b.cursor ?? 0);
  const limit = Number(b.limit ?? 100);
  const more = from + limit < members.length;
  return { ok: true, members: members.slice(from, from + limit), response_metadata: { next_cursor: more ? String(from + limit) : '' } };
}

/** A page of the team's people as `users.list` answers, `limit` and `cursor` honoured. */
function usersPage(s: State, b: Record<string, unknown>): Record<string, unknown> {
  const all = Object.entries(s.opts.users ?? {}).map(([id, u]) => ({
    id,
    name: u.name ?? id.toLowerCase(),
    deleted: u.deleted ?? false,
    real_name: u.real_name ?? '',
    profile: { display_name: u.display_name ?? '', real_name: u.real_name ?? '' },
    is_admin: u.is_admin ?? false,
  }));
  const from = Number(b.cursor ?? 0);
  const limit = Number(b.limit ?? 100);
  const more = from + limit < all.length;
  return { ok: true, members: all.slice(from, from + limit), response_metadata: { next_cursor: more ? String(from + limit) : '' } };
}

function oauthAccess(s: State, code: string): Record<string, unknown> {
  const grant = s.opts.oauthCodes?.[code];
  if (!grant) return { ok: false, error: 'invalid_code' };
  s.opts.workspaces = { ...s.opts.workspaces, [grant.token]: grant };
  return {
    ok: true,
    app_id: 'AHIVE',
    authed_user: { id: 'UINSTALLER' },
    scope: 'commands,chat:write',
    token_type: 'bot',
    access_token: grant.token,
    bot_user_id: grant.botUserId,
    team: { id: grant.teamId, name: grant.teamName ?? grant.teamId },
    enterprise: null,
    is_enterprise_install: false,
  };
}

async function handle(s: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (s.files?.serve(req, res, (t) => (t ? s.opts.workspaces?.[t]?.teamId : undefined)) || s.uploads?.serve(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const raw = await readRaw(req);
  const isApi = url.pathname.startsWith('/api/');
  const method = isApi ? url.pathname.slice('/api/'.length) : url.pathname.startsWith('/response/') ? 'response_url' : url.pathname;
  const auth = req.headers.authorization;
  const body = parseBody(raw, req.headers['content-type']);
  const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof body.token === 'string' ? body.token : undefined;
  const call: FakeSlackCall = { method, path: url.pathname, headers: req.headers, token, body, raw, at: (s.opts.now ?? Date.now)() };
  s.calls.push(call);
  const scripted = s.scripts.get(method)?.shift();
  const status = scripted?.status ?? 200;
  const payload = scripted?.body ?? (status === 200 ? answer(s, call) : { ok: false, error: 'ratelimited' });
  call.result = payload;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...scripted?.headers });
  res.end(JSON.stringify(payload));
}

/** Starts the fake; every Web API call and `response_url` POST is recorded with its body and token. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const s: State = { opts: { ...opts }, calls: [], scripts: new Map(), ts: 0, lastMicros: 0, posted: new Map() };
  const server = createServer((req, res) => {
    handle(s, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s.files = createFakeSlackFiles(origin, () => (s.opts.now ?? Date.now)());
  for (const f of opts.files ?? []) s.files.control.add(f);
  s.uploads = createFakeSlackUploads(origin);
  return {
    files: s.files.control,
    uploads: s.uploads.control,
    apiUrl: `${origin}/api/`,
    origin,
    calls: s.calls,
    of: (method) => s.calls.filter((c) => c.method === method),
    script(method, a) {
      s.scripts.set(method, [...(s.scripts.get(method) ?? []), a]);
    },
    responseUrl: (id) => `${origin}/response/${id}`,
    async waitFor(predicate, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > until) throw new Error('fake Slack: condition not met in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A page of a channel's history as Slack answers it: newest first, after `oldest`, `limit` at a time. */
function historyPage(all: Record<string, unknown>[], b: Record<string, unknown>): Record<string, unknown> {
  const oldest = Number(b.oldest ?? 0);
  const latest = b.latest === undefined ? Infinity : Number(b.latest);
  const newestFirst = all.filter((m) => Number(m.ts) > oldest && Number(m.ts) <= latest).sort((x, y) => Number(y.ts) - Number(x.ts));
  const from = Number(b.cursor ?? 0);
  const limit = Number(b.limit ?? 100);
  const page = newestFirst.slice(from, from + limit);
  const more = from + limit < newestFirst.length;
  return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(from + limit) : '' } };
}
