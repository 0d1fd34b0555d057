import { z } from 'zod';
import { anyObject, channel, listOf, member, permissions, snowflake, user, withId } from './payload-shapes.ts';

const timestamp = z.string().max(64);
const role = withId.extend({ name: z.string().max(100).optional(), permissions: permissions.optional(), position: z.number().int().optional() });

/** A message's fields that discord.js builds structures from and Hive reads (text, author, mentions, place). */
const messageFields = {
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.optional(),
  author: user.optional(),
  member: member.omit({ user: true }).partial({ roles: true }).optional(),
  content: z.string().max(8000).optional(),
  timestamp: timestamp.optional(),
  edited_timestamp: timestamp.nullable().optional(),
  tts: z.boolean().optional(),
  mention_everyone: z.boolean().optional(),
  mentions: listOf(user.extend({ member: member.omit({ user: true }).partial({ roles: true }).optional() }), 250).optional(),
  mention_roles: listOf(snowflake, 250).optional(),
  mention_channels: listOf(withId, 250).optional(),
  attachments: listOf(withId, 50).optional(),
  embeds: listOf(anyObject, 25).optional(),
  components: listOf(anyObject, 40).optional(),
  sticker_items: listOf(withId, 10).optional(),
  reactions: listOf(anyObject, 100).optional(),
  nonce: z.union([z.string().max(64), z.number()]).optional(),
  pinned: z.boolean().optional(),
  webhook_id: snowflake.optional(),
  application_id: snowflake.optional(),
  type: z.number().int().optional(),
  flags: z.number().int().nonnegative().optional(),
  position: z.number().int().optional(),
  message_reference: z
    .looseObject({ type: z.number().int().optional(), message_id: snowflake.optional(), channel_id: snowflake.optional(), guild_id: snowflake.optional() })
    .optional(),
  thread: channel.optional(),
  interaction: z.looseObject({ id: snowflake, type: z.number().int(), name: z.string().max(100), user }).optional(),
  interaction_metadata: anyObject.optional(),
  message_snapshots: listOf(z.looseObject({ message: anyObject }), 10).optional(),
  poll: anyObject.optional(),
  activity: anyObject.optional(),
  application: withId.optional(),
  role_subscription_data: anyObject.optional(),
  resolved: anyObject.optional(),
  call: anyObject.optional(),
};

/** discord.js files a forwarded message's snapshots under its reference. */
const snapshotsNeedReference = (m: { message_snapshots?: unknown; message_reference?: unknown }) =>
  m.message_snapshots === undefined || m.message_reference !== undefined;

const referenced = z.looseObject(messageFields).refine(snapshotsNeedReference, { message: 'snapshots without a reference', path: ['message_snapshots'] });

/** A message as MESSAGE_CREATE and MESSAGE_UPDATE carry it (an update may omit what did not change). */
const message = z
  .looseObject({ ...messageFields, referenced_message: referenced.nullable().optional() })
  .refine(snapshotsNeedReference, { message: 'snapshots without a reference', path: ['message_snapshots'] });

const guild = z.looseObject({
  id: snowflake,
  unavailable: z.boolean().optional(),
  name: z.string().max(100).optional(),
  owner_id: snowflake.optional(),
  channels: listOf(channel, 1500).optional(),
  threads: listOf(channel, 5000).optional(),
  roles: listOf(role, 1000).optional(),
  members: listOf(member.extend({ user }), 100_000).optional(),
  emojis: listOf(anyObject, 5000).optional(),
  stickers: listOf(withId, 500).optional(),
  voice_states: listOf(anyObject, 100_000).optional(),
  presences: listOf(anyObject, 100_000).optional(),
  stage_instances: listOf(anyObject, 1000).optional(),
  guild_scheduled_events: listOf(anyObject, 1000).optional(),
  system_channel_flags: z.number().int().nonnegative().optional(),
});

/**
 * The gateway events Hive's intents bring whose payloads discord.js turns into messages, threads,
 * channels, servers and roles: checked before it does. Other events need only be an object.
 */
export const DISPATCH_SHAPES: Readonly<Record<string, z.ZodType>> = {
  MESSAGE_CREATE: message.and(z.looseObject({ author: user, content: z.string().max(8000) })),
  MESSAGE_UPDATE: message,
  MESSAGE_DELETE: z.looseObject({ id: snowflake, channel_id: snowflake, guild_id: snowflake.optional() }),
  MESSAGE_DELETE_BULK: z.looseObject({ ids: listOf(snowflake, 100), channel_id: snowflake, guild_id: snowflake.optional() }),
  THREAD_CREATE: channel,
  THREAD_UPDATE: channel,
  THREAD_DELETE: channel,
  THREAD_LIST_SYNC: z.looseObject({
    guild_id: snowflake,
    channel_ids: listOf(snowflake).optional(),
    threads: listOf(channel, 5000),
    members: listOf(anyObject, 5000),
  }),
  CHANNEL_CREATE: channel,
  CHANNEL_UPDATE: channel,
  CHANNEL_DELETE: channel,
  GUILD_CREATE: guild,
  GUILD_UPDATE: guild,
  GUILD_DELETE: z.looseObject({ id: snowflake, unavailable: z.boolean().optional() }),
  GUILD_ROLE_CREATE: z.looseObject({ guild_id: snowflake, role }),
  GUILD_ROLE_UPDATE: z.looseObject({ guild_id: snowflake, role }),
  GUILD_ROLE_DELETE: z.looseObject({ guild_id: snowflake, role_id: snowflake }),
};
