import { BOT_USER, messageOf, snowflake } from './discord-payloads.ts';

type Payload = Record<string, unknown>;

/** Someone mentioned in a fake message (`<@id>` in its content), as Discord lists them. */
export interface FakeMention {
  id: string;
  username: string;
  globalName?: string | null;
  /** Their nickname in the server. */
  nick?: string | null;
}

/** A message from a person (or another bot, a webhook, Discord itself) for the fake to deliver. */
export interface UserMessageSpec {
  channelId: string;
  content: string;
  userId?: string;
  /** From another bot instead of a person. */
  bot?: boolean;
  mentionBot?: boolean;
  /** Stored but not announced: said while Hive was away (and so not in discord.js's cache). */
  quietly?: boolean;
  username?: string;
  /** The author's global display name (default `Alice`); null for none. */
  globalName?: string | null;
  /** The author's nickname in the server, their display name there. */
  nick?: string;
  /** Other people mentioned, with their member data, as Discord sends them. */
  mentions?: FakeMention[];
  /** The message type: 0 default, 19 a reply; 6 a pin notice, 7 a join, 18 a thread created are Discord's own. */
  type?: number;
  /** Posted through this webhook. */
  webhookId?: string;
  /** Files attached, as the fake CDN's `add` returns them. */
  attachments?: Record<string, unknown>[];
}

/** Gateway events about messages that a test makes the fake Discord send. */
export interface FakeMessageEvents {
  /** The messages of a channel or thread, oldest first (posted by Hive, or by users through `userMessage`). */
  messagesIn(channelId: string): Payload[];
  /** A message from a person (or another bot) in a channel or thread: stored, and sent as MESSAGE_CREATE unless `quietly` (sent while Hive was away). */
  userMessage(spec: UserMessageSpec): string;
  /** Sends a gateway dispatch again, as a resumed session may replay one (`MESSAGE_CREATE` of a message id). */
  replayMessage(channelId: string, messageId: string): void;
  /** The author changes a message's text: stored, and sent as MESSAGE_UPDATE with an edit stamp. */
  editMessage(channelId: string, messageId: string, content: string): void;
  /** A link in a message unfurls: MESSAGE_UPDATE with an embed added, the text and edit stamp as they were. */
  resolveEmbed(channelId: string, messageId: string): void;
  /** A message is deleted: MESSAGE_DELETE (ids only, as Discord sends it). */
  deleteMessage(channelId: string, messageId: string): void;
  /** Several messages of a channel are deleted at once: one MESSAGE_DELETE_BULK. */
  bulkDelete(channelId: string, messageIds: string[]): void;
}

/** The fake's messages, with what its REST routes need besides the events tests send. */
export interface FakeMessages extends FakeMessageEvents {
  find(channelId: string, messageId: string): Payload | undefined;
  /** A message Hive sent or edited through REST: stored, and echoed on the gateway as Discord does (CREATE the first time, UPDATE after). */
  hiveWrote(channelId: string, m: Payload): Payload;
}

const member = (nick: string | null) => ({ nick, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0 });
const userOf = (id: string, username: string, globalName: string | null) => ({ id, username, discriminator: '0', global_name: globalName, avatar: null });
const OTHER_BOT = { ...userOf('500000000000000001', 'otherbot', null), bot: true };

/** Messages per channel (threads included), oldest first; a message kept again replaces itself. */
function channelMessages() {
  const messages = new Map<string, Payload[]>();
  const listOf = (channelId: string) => messages.get(channelId) ?? messages.set(channelId, []).get(channelId)!;
  return {
    all: (channelId: string) => [...listOf(channelId)],
    find: (channelId: string, id: string) => listOf(channelId).find((x) => x['id'] === id),
    keep(channelId: string, m: Payload) {
      const list = listOf(channelId);
      const at = list.findIndex((x) => x['id'] === m['id']);
      if (at >= 0) list[at] = m;
      else list.push(m);
      return m;
    },
    drop: (channelId: string, ids: string[]) =>
      void messages.set(
        channelId,
        listOf(channelId).filter((x) => !ids.includes(String(x['id']))),
      ),
  };
}

/** Every message posted or announced, per channel (threads included), and the gateway events about them. */
export function createFakeMessages(o: { dispatch: (t: string, d: unknown) => void; guildOf: (channelId: string) => string }): FakeMessages {
  const { all, find, keep, drop } = channelMessages();
  const update = (channelId: string, messageId: string, change: Payload) => {
    const m = find(channelId, messageId);
    if (m) o.dispatch('MESSAGE_UPDATE', keep(channelId, { ...m, ...change }));
  };
  return {
    find,
    messagesIn: all,
    hiveWrote(channelId, m) {
      const created = !find(channelId, String(m['id']));
      keep(channelId, { ...m, guild_id: o.guildOf(channelId) });
      o.dispatch(created ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE', find(channelId, String(m['id'])));
      return m;
    },
    userMessage(spec) {
      const id = snowflake();
      const m = { ...userMessagePayload(spec, id), guild_id: o.guildOf(spec.channelId) };
      keep(spec.channelId, m);
      if (!spec.quietly) o.dispatch('MESSAGE_CREATE', m);
      return id;
    },
    replayMessage(channelId, messageId) {
      const m = find(channelId, messageId);
      if (m) o.dispatch('MESSAGE_CREATE', m);
    },
    editMessage: (channelId, messageId, content) => update(channelId, messageId, { content, edited_timestamp: new Date().toISOString() }),
    resolveEmbed: (channelId, messageId) => update(channelId, messageId, { embeds: [{ type: 'link', url: 'https://example.com/', title: 'Example' }] }),
    deleteMessage(channelId, messageId) {
      drop(channelId, [messageId]);
      o.dispatch('MESSAGE_DELETE', { id: messageId, channel_id: channelId, guild_id: o.guildOf(channelId) });
    },
    bulkDelete(channelId, ids) {
      drop(channelId, ids);
      o.dispatch('MESSAGE_DELETE_BULK', { ids, channel_id: channelId, guild_id: o.guildOf(channelId) });
    },
  };
}

/** A MESSAGE_CREATE payload as Discord sends it for a guild message (without `guild_id`). */
function userMessagePayload(spec: UserMessageSpec, id: string): Payload {
  const author = spec.bot
    ? OTHER_BOT
    : userOf(spec.userId ?? '300000000000000009', spec.username ?? 'alice', spec.globalName === undefined ? 'Alice' : spec.globalName);
  const mentioned = (spec.mentions ?? []).map((u) => ({ ...userOf(u.id, u.username, u.globalName ?? null), member: member(u.nick ?? null) }));
  return {
    ...messageOf(spec.channelId, { content: spec.mentionBot ? `<@${BOT_USER.id}> ${spec.content}` : spec.content }, id),
    author,
    mentions: spec.mentionBot ? [BOT_USER, ...mentioned] : mentioned,
    ...(spec.type !== undefined ? { type: spec.type } : {}),
    ...(spec.attachments ? { attachments: spec.attachments } : {}),
    // A webhook posts as itself, not as a member of the server.
    ...(spec.webhookId ? { webhook_id: spec.webhookId } : { member: member(spec.nick ?? null) }),
  };
}
