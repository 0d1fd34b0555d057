import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatAdapter, MessageRef, MessageTarget } from '../../../../src/chat/chat-adapter.ts';
import type { ChatAdapterDefinition } from '../../../../src/chat/chat-adapter-definition.ts';
import type { ChatHost } from '../../../../src/chat/chat-host.ts';
import { createDeliveryClaims } from '../../../../src/chat/delivery-claims.ts';
import { recordExchange } from '../../../../src/chat/exchange.ts';
import type { Invocation, Reply } from '../../../../src/chat/invocation.ts';
import { createThreadContext } from '../../../../src/chat/thread-context.ts';
import { createTranscripts } from '../../../../src/chat/transcripts.ts';
import { optionalVar, parseVars, urlVar, type EnvVars } from '../../../../src/shared/env-fields.ts';

/** A fourth chat platform for tests: events arrive as webhooks, messages go to the platform's HTTP API. */
export interface RelayConfig {
  apiUrl: string;
  token: string;
}

/** One message per 2,000 characters, like Discord's limit. */
export const RELAY_LIMIT = 2000;

/** An incoming event: a message from a user, maybe in a thread. */
interface RelayEvent {
  id: string;
  user: string;
  channel: string;
  thread?: string;
  text: string;
}

function parseRelayEnv(env: EnvVars, problems: string[]): RelayConfig | undefined {
  const e = parseVars(env, { RELAY_API_URL: urlVar, RELAY_TOKEN: optionalVar }, problems);
  if (e.RELAY_API_URL === undefined && e.RELAY_TOKEN === undefined) return undefined;
  if (e.RELAY_API_URL === undefined || e.RELAY_TOKEN === undefined) return void problems.push('RELAY_API_URL, RELAY_TOKEN: set both, or neither');
  return { apiUrl: e.RELAY_API_URL, token: e.RELAY_TOKEN };
}

/** The relay's registry entry. */
export const relayDefinition: ChatAdapterDefinition<RelayConfig> = {
  name: 'relay',
  parseEnv: parseRelayEnv,
  secrets: (c) => [c.token],
  enabled: (c) => c !== undefined,
  create: async (host, config) => createRelayAdapter(host, config),
};

/** Neutralises mass mentions with a zero-width space, so they read the same and notify no one. */
const quiet = (text: string) => text.replace(/@(channel|here|everyone)\b/gi, '@\u200b$1').replace(/<!(channel|here|everyone)[^>]*>/gi, '@\u200b$1');

/** Splits at the last space before the limit, so no word is cut in two. */
function chunks(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > RELAY_LIMIT) {
    const cut = rest.lastIndexOf(' ', RELAY_LIMIT);
    const at = cut > 0 ? cut : RELAY_LIMIT;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  return [...out, rest];
}

function render(reply: Reply): string[] {
  const body = [reply.tone === 'error' ? `! ${reply.text}` : reply.text, ...(reply.sections ?? []).map((s) => `${s.title}\n${s.text}`)].join('\n\n');
  return chunks(quiet(reply.footer ? `${body}\n— ${reply.footer}` : body));
}

function createRelayAdapter(host: ChatHost, config: RelayConfig): ChatAdapter {
  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(new URL(path, config.apiUrl), {
      method,
      headers: { authorization: `Bearer ${config.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { id: string };
  };
  const send = async (t: MessageTarget, reply: Reply, audience: string): Promise<MessageRef> => {
    const [first, ...rest] = render(reply);
    const { id } = await api('POST', 'messages', { channel: t.channelId, thread: t.threadId, text: first, audience });
    for (const text of rest) await api('POST', 'messages', { channel: t.channelId, thread: t.threadId ?? id, text, audience });
    return { workspaceId: t.workspaceId, channelId: t.channelId, messageId: id, ...(t.threadId ? { threadId: t.threadId } : {}) };
  };
  const claims = createDeliveryClaims(host.store.atomic, 'relay');
  const transcripts = createTranscripts({ store: host.store.ns('threads'), ttlMs: host.config.threadRetentionMs });
  // The relay supplies no history of its own: the core's thread context reads the transcripts.
  const threads = createThreadContext({ transcripts });
  const onEvent = async (e: RelayEvent) => {
    if (!(await claims.claim('event', e.id, 60_000))) return;
    const m = /^\/([a-z][\w-]*)\s*([\s\S]*)$/i.exec(e.text);
    const command = m ? m[1]!.toLowerCase() : 'ask';
    const text = m ? m[2]! : e.text;
    const threadId = e.thread ?? e.id;
    const ref = { scope: 'relay', channelId: e.channel, threadId };
    const context = e.thread ? await threads.forThread(ref) : undefined;
    const target = { workspaceId: 'relay:main', channelId: e.channel, threadId };
    const inv: Invocation = {
      platform: 'relay',
      workspaceId: 'relay:main',
      channelId: e.channel,
      userId: e.user,
      threadId,
      command,
      text,
      ...(context ? { context } : {}),
      isAdmin: async () => false,
      respond: async (reply) => {
        await send(target, reply, reply.visibility === 'private' ? e.user : 'everyone');
        await recordExchange({ transcripts, log: host.log }, ref, host.commands.find(command), text, reply);
      },
    };
    void host.dispatcher.handle(inv);
  };
  let server: Server | undefined;
  return {
    name: 'relay',
    async start() {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (d: Buffer) => (raw += d.toString()));
        req.on('end', () => void onEvent(JSON.parse(raw) as RelayEvent).finally(() => res.end('{}')));
      });
      await new Promise<void>((r) => server!.listen(host.config.port, '127.0.0.1', r));
      return { port: (server.address() as AddressInfo).port };
    },
    async stop() {
      await new Promise((r) => server?.close(r));
      await host.dispatcher.drain();
    },
    post: (target, reply) => send(target, reply, 'everyone'),
    async edit(ref, reply) {
      await api('PATCH', `messages/${ref.messageId}`, { text: render(reply)[0] });
    },
  };
}
