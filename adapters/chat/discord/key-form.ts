import {
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { UserError } from '../../../src/shared/errors.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import { isVendor } from '../../../src/shared/types.ts';
import { VENDORS, type Vendor } from '../../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../../src/models/vendor-info.ts';
import { NO_MENTIONS, workspaceIdFor } from './conventions.ts';

/** The key form's id; its submission is routed here. */
export const KEY_FORM_ID = 'hive-keys';

/**
 * The private form `/hive keys` opens: the vendor picked from a list (so a misspelt vendor cannot
 * be submitted), and the key (never typed into a channel).
 */
export function keyFormModal(): ModalBuilder {
  const vendor = new StringSelectMenuBuilder()
    .setCustomId('vendor')
    .setPlaceholder('Choose the vendor')
    .setRequired(true)
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(VENDORS.map((v) => ({ label: VENDOR_INFO[v].label, value: v })));
  const key = new TextInputBuilder().setCustomId('key').setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(400);
  return new ModalBuilder()
    .setCustomId(KEY_FORM_ID)
    .setTitle('Add a vendor key')
    .addLabelComponents(
      new LabelBuilder().setLabel('Vendor').setStringSelectMenuComponent(vendor),
      new LabelBuilder().setLabel('API key').setDescription('Verified with the vendor, then stored encrypted').setTextInputComponent(key),
    );
}

/** The vendor chosen in the form's list: exactly one of its options' values, else nothing (a forged or stale form). */
function chosenVendor(i: ModalSubmitInteraction): Vendor | undefined {
  let values: readonly string[];
  try {
    values = i.fields.getStringSelectValues('vendor');
  } catch {
    return undefined;
  }
  const [value] = values;
  return values.length === 1 && value !== undefined && isVendor(value) ? value : undefined;
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
  const vendor = chosenVendor(i);
  if (!vendor)
    return void (await say(
      `Choose the vendor from the form's list (${VENDORS.map((v) => VENDOR_INFO[v].label).join(', ')}). Nothing was stored; open the form again with \`/hive keys\`.`,
    ));
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
