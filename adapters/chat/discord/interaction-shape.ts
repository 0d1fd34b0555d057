import { z } from 'zod';
import { anyObject, channel, interactionToken, listOf, member, permissions, snowflake, user, withId } from './payload-shapes.ts';

/** Discord's interaction types that can be answered with a message (or, for autocomplete, choices). */
export const InteractionKind = { Command: 2, Component: 3, Autocomplete: 4, ModalSubmit: 5 } as const;

/** Enough of an interaction to answer it: the callback route is built from its id and token. */
export const addressable = z.looseObject({
  id: snowflake,
  token: interactionToken,
  type: z.literal([InteractionKind.Command, InteractionKind.Component, InteractionKind.Autocomplete, InteractionKind.ModalSubmit]),
});

/** Names Discord allows for commands and options. */
const name = z.string().regex(/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u, 'not a command or option name');

const optionFields = { name, type: z.number().int(), value: z.unknown().optional(), focused: z.boolean().optional() };
const leafOption = z.looseObject(optionFields);
const subOption = z.looseObject({ ...optionFields, options: z.array(leafOption).max(25).optional() });
/** Options nest at most three deep (a group, its subcommand, their options): no recursion to exhaust. */
const option = z.looseObject({ ...optionFields, options: z.array(subOption).max(25).optional() });

/** One option as Discord sends it; what its value must be is checked against Hive's definitions. */
export interface RawOption {
  name: string;
  type: number;
  value?: unknown;
  focused?: boolean | undefined;
  options?: RawOption[] | undefined;
}

/** A file given with a command (its `file` option), as Discord resolves it. */
const resolvedAttachment = z.looseObject({
  id: snowflake,
  filename: z.string().min(1).max(1024),
  size: z.number().int().nonnegative(),
  url: z.string().max(4000),
  proxy_url: z.string().max(4000).optional(),
  content_type: z.string().max(255).optional(),
});

/** A slash command or its autocomplete: Hive's options are text and files, so only attachments are ever `resolved`. */
export const commandData = z.looseObject({
  id: snowflake,
  name,
  type: z.number().int(),
  guild_id: snowflake.optional(),
  options: z.array(option).max(25).optional(),
  resolved: z
    .strictObject(
      { attachments: z.record(snowflake, resolvedAttachment).refine((r) => Object.keys(r).length <= 10, 'too many files') },
      'Hive’s commands take no users, roles or channels',
    )
    .optional(),
});

/** A form's field as submitted: a text input's `value`, or a select's chosen `values`. */
const textInput = z.looseObject({
  type: z.number().int(),
  id: z.number().int().optional(),
  custom_id: z.string().max(100),
  value: z.string().max(4000).optional(),
  values: z.array(z.string().max(100)).max(25).optional(),
});
const modalRow = z.looseObject({
  type: z.number().int(),
  id: z.number().int().optional(),
  components: z.array(textInput).max(5).optional(),
  component: textInput.optional(),
});

/** A submitted form: Hive's forms hold text inputs and a select, in rows or labels. */
export const modalData = z.looseObject({
  custom_id: z.string().max(100),
  components: z.array(modalRow).max(5),
  resolved: z.never({ message: 'Hive’s forms take no users, roles or channels' }).optional(),
});

/**
 * What every interaction must carry before discord.js builds it: who (a user, or a member with
 * readable permissions), where (the channel, which discord.js takes the id from), and the lists discord.js walks. Only a
 * button's interaction comes with a message (the one the button is on).
 */
export const interactionBase = z
  .looseObject({
    id: snowflake,
    application_id: snowflake,
    type: z.number().int(),
    token: interactionToken,
    version: z.number().int().optional(),
    guild_id: snowflake.optional(),
    channel_id: snowflake.optional(),
    channel: channel.optional(),
    user: user.optional(),
    member: member.extend({ user, permissions }).optional(),
    app_permissions: permissions.optional(),
    locale: z.string().max(20).optional(),
    guild_locale: z.string().max(20).nullable().optional(),
    entitlements: listOf(withId.extend({ sku_id: snowflake.optional(), user_id: snowflake.optional(), guild_id: snowflake.optional() }), 100),
    authorizing_integration_owners: z.record(z.string().max(4), snowflake),
    context: z.number().int().nullable().optional(),
    // A button's interaction carries the message it is on (discord.js builds it): checked as a message is.
    message: z.looseObject({ id: snowflake, channel_id: snowflake, author: user, components: listOf(anyObject, 40).optional() }).optional(),
    data: anyObject,
  })
  .refine((d) => d.user !== undefined || d.member !== undefined, { message: 'no user or member', path: ['member'] })
  .refine((d) => d.channel !== undefined && (d.channel_id === undefined || d.channel_id === d.channel.id), { message: 'no channel', path: ['channel'] });

/** A button press: its custom id (Hive's are `encodeAction`'s) and that it is a button. */
export const componentData = z.looseObject({ custom_id: z.string().max(100), component_type: z.literal(2) });
