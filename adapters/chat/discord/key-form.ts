import { ActionRowBuilder, MessageFlags, ModalBuilder, PermissionFlagsBits, TextInputBuilder, TextInputStyle, type ModalSubmitInteraction } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { UserError } from '../../../src/shared/errors.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import { parseVendor } from '../../../src/shared/types.ts';
import { VENDORS } from '../../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../../src/models/vendor-info.ts';
import { NO_MENTIONS, workspaceIdFor } from './conventions.ts';

/** The key form's id; its submission is routed here. */
export const KEY_FORM_ID = 'hive-keys';

/** The private form `/hive keys` opens: which vendor, and the key (never typed into a channel). */
export function keyFormModal(): ModalBuilder {
  const vendor = new TextInputBuilder()
    .setCustomId('vendor')
    .setLabel(`Vendor: ${VENDORS.join(', ')}`)
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMaxLength(20);
  const key = new TextInputBuilder()
    .setCustomId('key')
    .setLabel('API key (verified, then stored encrypted)')
    .setStyle(TextInputStyle.Short)
    .setRequired(true)
    .setMaxLength(400);
  return new ModalBuilder()
    .setCustomId(KEY_FORM_ID)
    .setTitle('Add a vendor key')
    .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(vendor), new ActionRowBuilder<TextInputBuilder>().addComponents(key));
}

/**
 * The form's submission: the member's Manage Server permission re-checked from what Discord sent
 * with the submission, the key verified with the vendor, stored encrypted; the answer is private and
 * never repeats the key. The typed text is never registered as a secret (it may be anything, from
 * anyone): it becomes one of its server's only once stored.
 */
export async function submitKeyForm(host: ChatHost, i: ModalSubmitInteraction): Promise<void> {
  const key = i.fields.getTextInputValue('key').trim();
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const say = (content: string) => i.editReply({ content, allowedMentions: NO_MENTIONS });
  const admin = host.config.adminUserIds.includes(i.user.id) || (i.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false);
  if (!i.guildId || !admin) return void (await say('Only members with Manage Server can manage keys.'));
  const vendor = parseVendor(i.fields.getTextInputValue('vendor').trim());
  if (!vendor) return void (await say(`Name a vendor: ${VENDORS.join(', ')}. Nothing was stored; open the form again with \`/hive keys\`.`));
  const label = VENDOR_INFO[vendor].label;
  try {
    const info = await host.keys.register(workspaceIdFor(i.guildId), vendor, key, { verify: true, addedBy: i.user.id });
    host.log.info({ guildId: i.guildId, userId: i.user.id, vendor, masked: info.masked }, 'vendor key stored from the Discord form');
    await say(`Saved the ${label} key ${info.masked}; ${label} accepted it.`);
  } catch (err) {
    if (err instanceof UserError) return void (await say(host.secrets.forWorkspace(workspaceIdFor(i.guildId)).scrub(err.message).slice(0, 1800)));
    const errorId = newErrorId();
    host.log.error({ err, errorId, guildId: i.guildId, vendor }, 'could not store a vendor key');
    await say(`Could not save the key (error ${errorId}). Try again.`);
  }
}
