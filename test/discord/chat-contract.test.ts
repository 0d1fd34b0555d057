import { runChatAdapterContract, type SeenMessage } from '../contracts/chat-adapter.contract.ts';
import { APPLICATION_ID, type DiscordRequest } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, startDiscord, textOf } from './harness.ts';
import { discordActions } from './contract-actions.ts';

const EPHEMERAL = 64;
const flagsOf = (body: Record<string, unknown> | undefined) => Number((body?.['data'] as { flags?: number } | undefined)?.flags ?? body?.['flags'] ?? 0);

/** What Discord users would see, from the requests the fake Discord received. */
function seenOf(requests: DiscordRequest[], threads: Set<string>, originalOf: (token: string) => string): SeenMessage[] {
  const privateTokens = new Set<string>();
  const out: SeenMessage[] = [];
  for (const r of requests) {
    let m: RegExpExecArray | null;
    if ((m = /^\/interactions\/\d+\/([^/]+)\/callback$/.exec(r.path))) {
      if (flagsOf(r.body) & EPHEMERAL) privateTokens.add(m[1]!);
      // A reply as the first response: `content`, or (Components V2) its text displays; a deferral has neither.
      const data = r.body?.['data'] as Record<string, unknown> | undefined;
      if (data && ('content' in data || 'components' in data))
        out.push({ text: textOf(data), audience: flagsOf(r.body) & EPHEMERAL ? 'requester' : 'everyone' });
    } else if ((m = new RegExp(`^/webhooks/${APPLICATION_ID}/([^/]+)/messages/@original$`).exec(r.path)) && r.method === 'PATCH') {
      // A thread opened from this answer shows it as its first message.
      const starter = originalOf(m[1]!);
      out.push({
        text: textOf(r.body),
        audience: privateTokens.has(m[1]!) ? 'requester' : 'everyone',
        edited: true,
        ...(threads.has(starter) ? { threadId: starter } : {}),
      });
    } else if (new RegExp(`^/webhooks/${APPLICATION_ID}/[^/]+$`).test(r.path) && r.method === 'POST') {
      out.push({ text: textOf(r.body), audience: flagsOf(r.body) & EPHEMERAL ? 'requester' : 'everyone' });
    } else if ((m = /^\/channels\/(\d+)\/messages(?:\/\d+)?$/.exec(r.path)) && (r.method === 'POST' || r.method === 'PATCH')) {
      out.push({
        text: textOf(r.body),
        audience: 'everyone',
        ...(threads.has(m[1]!) ? { threadId: m[1]! } : {}),
        ...(r.method === 'PATCH' ? { edited: true } : {}),
      });
    }
  }
  return out;
}

runChatAdapterContract({
  name: 'discord',
  async start(respond) {
    const h = await startDiscord({ keep: true, respond });
    const threads = new Set<string>();
    return {
      adapter: h.adapter,
      channel: { workspaceId: `discord:${GUILD}`, channelId: CHANNEL },
      async command(name, text) {
        h.discord.interaction({ name, guildId: GUILD, channelId: CHANNEL, options: name === 'ask' ? [{ name: 'question', type: 3, value: text }] : [] });
      },
      async startThread(text) {
        const { token } = h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options: [{ name: 'question', type: 3, value: text }] });
        // The thread opened from this interaction's answer has the answer's id (another scenario's may still be opening).
        const id = h.discord.originalMessageId(token);
        await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${id}/threads`);
        threads.add(id);
        return id;
      },
      async followUp(threadId, text) {
        h.discord.userMessage({ channelId: threadId, content: text });
      },
      async redeliver(text) {
        const thread = [...threads].at(-1)!;
        const id = h.discord.userMessage({ channelId: thread, content: text });
        h.discord.replayMessage(thread, id);
      },
      seen: () => seenOf(h.discord.requests, threads, h.discord.originalMessageId),
      modelCalls: () => h.vendor.requests.filter((r) => r.model),
      actions: discordActions(h.discord),
      maxMessageChars: 2000,
      // Every create and edit carried allowed_mentions parse []: @everyone in the text pings nobody.
      notifiesEveryone: () => h.discord.requests.some((r) => r.body && 'content' in r.body && JSON.stringify(r.body['allowed_mentions']) !== '{"parse":[]}'),
      close: () => h.close(),
    };
  },
});
