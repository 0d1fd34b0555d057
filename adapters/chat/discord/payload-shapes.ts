import { z } from 'zod';

// The pieces of Discord's gateway payloads that discord.js turns into structures (often with
// `BigInt`, which throws on anything but digits) and that Hive reads. Objects stay loose: Discord
// adds fields, and only the ones listed here are checked.

/** A Discord id: a 64-bit integer as decimal digits (discord.js reads its time with `BigInt`). */
export const snowflake = z.string().regex(/^\d{1,20}$/, 'not a Discord id');

/** A permission set: a bitfield as decimal digits (discord.js parses it with `BigInt`; Discord may add bits). */
export const permissions = z.string().regex(/^\d{1,40}$/, 'not a permission set');

/** An interaction's token: it goes into REST paths unencoded, so nothing that could change the path (no `/`, `?`, `%`, no `..`). */
export const interactionToken = z.string().regex(/^(?!\.+$)[\w.~+=:-]{1,1000}$/, 'not an interaction token');

/** Flags and other small bitfields discord.js reads as numbers. */
const bits = z.number().int().nonnegative();
const timestamp = z.string().max(64);

/** A user, as discord.js caches it. */
export const user = z.looseObject({
  id: snowflake,
  username: z.string().max(100),
  discriminator: z.string().max(8).optional(),
  global_name: z.string().max(100).nullable().optional(),
  avatar: z.string().max(200).nullable().optional(),
  bot: z.boolean().optional(),
  system: z.boolean().optional(),
  public_flags: bits.optional(),
  flags: bits.optional(),
});

/** A member of the server; `permissions` comes with interactions (and is what Hive checks for Manage Server). */
export const member = z.looseObject({
  user: user.optional(),
  roles: z.array(snowflake).max(1000),
  permissions: permissions.optional(),
  nick: z.string().max(100).nullable().optional(),
  avatar: z.string().max(200).nullable().optional(),
  joined_at: timestamp.nullable().optional(),
  premium_since: timestamp.nullable().optional(),
  communication_disabled_until: timestamp.nullable().optional(),
  flags: bits.optional(),
  pending: z.boolean().optional(),
  deaf: z.boolean().optional(),
  mute: z.boolean().optional(),
});

/** A channel or thread as an event carries it (threads: their parent and owner, which Hive checks). */
export const channel = z.looseObject({
  id: snowflake,
  type: z.number().int(),
  guild_id: snowflake.optional(),
  parent_id: snowflake.nullable().optional(),
  owner_id: snowflake.optional(),
  name: z.string().max(100).nullable().optional(),
  permissions: permissions.optional(),
  flags: bits.optional(),
  recipients: z.array(user).max(10).optional(),
  thread_metadata: z
    .looseObject({ archived: z.boolean(), auto_archive_duration: z.number().int(), archive_timestamp: timestamp, locked: z.boolean().optional() })
    .optional(),
  permission_overwrites: z.array(z.looseObject({ id: snowflake, type: z.number().int(), allow: permissions, deny: permissions })).optional(),
});

/** A list, bounded: discord.js walks every item of it. */
export const listOf = <T extends z.ZodType>(item: T, max = 1000) => z.array(item).max(max);
/** Something discord.js caches by its id (an attachment, an entitlement, a sticker). */
export const withId = z.looseObject({ id: snowflake });
/** Something discord.js reads only as an object (an embed, a poll): a string or null where it belongs throws. */
export const anyObject = z.looseObject({});
