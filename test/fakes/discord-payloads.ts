// Payloads of the fake Discord (test/fakes/discord-api.ts), shaped as Discord sends them.

/** A guild as the fake's gateway announces it. */
export interface FakeGuild {
  id: string;
  channels: { id: string; name: string; overwrites?: FakeOverwrite[] }[];
  /** The `@everyone` role's permission bits (decimal string); none by default. */
  everyone?: string;
  /** Further roles and their permission bits. */
  roles?: { id: string; permissions: string }[];
  /** People in the server and their roles (`GET /guilds/:id/members/:user`); others are not members. */
  members?: Record<string, string[]>;
}

/** A channel's permission overwrite: type 0 a role (the guild id is `@everyone`), 1 a member. */
export interface FakeOverwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** The fake bot's application. */
export const APPLICATION_ID = '100000000000000001';
/** Hive's own user, as the gateway's READY names it. */
export const BOT_USER = { id: '100000000000000002', username: 'hive', discriminator: '0', global_name: null, avatar: null, bot: true };
const DISCORD_EPOCH = 1_420_070_400_000n;
let lastSnowflake = 0n;
/** A fresh snowflake id, carrying the time it was made (as Discord's do), strictly increasing. */
export const snowflake = () => {
  const now = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
  lastSnowflake = now > lastSnowflake ? now : lastSnowflake + 1n;
  return String(lastSnowflake);
};
/** When a snowflake was made, ms since the epoch (what discord.js reports as `createdTimestamp`). */
export const snowflakeTime = (id: string) => Number((BigInt(id) >> 22n) + DISCORD_EPOCH);

/** A guild as GUILD_CREATE announces it: its text channels, no threads, the bot its only member. */
export function guildPayload(g: FakeGuild) {
  return {
    id: g.id,
    name: `guild ${g.id}`,
    icon: null,
    owner_id: '300000000000000001',
    roles: [{ id: g.id, permissions: g.everyone ?? '0' }, ...(g.roles ?? [])].map((r, i) => ({
      ...r,
      name: i === 0 ? '@everyone' : `role ${r.id}`,
      position: i,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    })),
    channels: g.channels.map((c) => ({
      id: c.id,
      type: 0,
      name: c.name,
      guild_id: g.id,
      position: 0,
      permission_overwrites: c.overwrites ?? [],
      parent_id: null,
    })),
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

/** A server member as `GET /guilds/:id/members/:user` returns it. */
export function memberPayload(userId: string, roles: string[]) {
  return {
    user: { id: userId, username: `user${userId.slice(-4)}`, discriminator: '0', global_name: null, avatar: null },
    roles,
    joined_at: new Date(0).toISOString(),
    deaf: false,
    mute: false,
    flags: 0,
  };
}

/** A thread channel as Discord returns and announces it (public thread, type 11, unless private: 12), owned by the bot unless said. */
export function threadPayload(id: string, parentId: string, guildId: string, name: string, ownerId: string = BOT_USER.id, type: 11 | 12 = 11) {
  return {
    id,
    type,
    guild_id: guildId,
    parent_id: parentId,
    name,
    owner_id: ownerId,
    last_message_id: null,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: 0,
    flags: 0,
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  };
}

/** A message object as Discord returns it for a create or an edit. */
export function messageOf(channelId: string, body: Record<string, unknown> | undefined, id = snowflake()) {
  return {
    id,
    channel_id: channelId,
    author: BOT_USER,
    content: typeof body?.['content'] === 'string' ? body['content'] : '',
    // Components V2 (flag 1<<15) and buttons: kept as sent, so tests and readers of history see them.
    components: Array.isArray(body?.['components']) ? body['components'] : [],
    timestamp: new Date(snowflakeTime(id)).toISOString(),
    edited_timestamp: null,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    tts: false,
    mention_everyone: false,
    type: 0,
    flags: typeof body?.['flags'] === 'number' ? body['flags'] & ~64 : 0,
  };
}

const IS_COMPONENTS_V2 = 1 << 15;

/** Whether an edit would turn a Components V2 message back into `content`, which Discord refuses (the flag cannot be removed). */
export const dropsComponentsV2 = (message: Record<string, unknown> | undefined, body: Record<string, unknown> | undefined) =>
  message !== undefined && (Number(message['flags'] ?? 0) & IS_COMPONENTS_V2) !== 0 && (Number(body?.['flags'] ?? 0) & IS_COMPONENTS_V2) === 0;

/** Discord's refusal of such an edit. */
export const COMPONENTS_V2_KEPT = {
  code: 50035,
  message: 'Invalid Form Body',
  errors: { flags: { _errors: [{ code: 'MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG', message: 'The IS_COMPONENTS_V2 flag cannot be removed' }] } },
};
