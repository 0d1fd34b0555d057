import { InteractionResponseType, MessageFlags, Routes, type REST } from 'discord.js';
import { NO_MENTIONS } from './conventions.ts';
import type { Refusal } from './interaction-check.ts';
import { renderDiscordReply } from './render.ts';

/**
 * Answers an interaction Hive will not run, as Discord shows refusals: a private message to its
 * user (an autocomplete gets no suggestions). Over REST with the interaction's own token, since
 * discord.js never built the interaction.
 */
export async function answerRefusal(rest: REST, r: Refusal): Promise<void> {
  const [content] = renderDiscordReply({ text: r.say, visibility: 'private', tone: 'error' });
  const body =
    r.answer === 'choices'
      ? { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } }
      : { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS } };
  await rest.post(Routes.interactionCallback(r.id, r.token), { body, auth: false });
}
