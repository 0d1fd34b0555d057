import type { AutocompleteInteraction } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';

/** Discord shows at most 25 suggestions, each name at most 100 characters. */
const MAX_CHOICES = 25;
const NAME_MAX = 100;

/** Suggestions for a `model` option as the user types: current priced models, as `vendor:id`. */
export async function suggestModels(host: ChatHost, i: AutocompleteInteraction): Promise<void> {
  const choices = host.suggestModels(i.options.getFocused()).slice(0, MAX_CHOICES);
  await i.respond(choices.map((c) => ({ name: c.name.slice(0, NAME_MAX), value: c.value })));
}
