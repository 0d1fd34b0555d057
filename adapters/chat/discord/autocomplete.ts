import type { AutocompleteInteraction } from 'discord.js';
import { isRetired } from '../../../src/money/model-retirement.ts';
import { listModels } from '../../../src/money/models.ts';

/** Discord shows at most 25 suggestions. */
const MAX_CHOICES = 25;

/**
 * Suggestions for a `model` option as the user types: every priced model not retired, as
 * `vendor:id`, those whose name contains what was typed first (current lanes' models lead the table).
 */
export async function suggestModels(i: AutocompleteInteraction): Promise<void> {
  const typed = i.options.getFocused().toLowerCase();
  const now = new Date();
  const names = listModels()
    .filter((m) => m.prices.length > 0 && !isRetired({ vendor: m.vendor, model: m.id }, now))
    .map((m) => ({ name: `${m.vendor}:${m.id} — ${m.label}`.slice(0, 100), value: `${m.vendor}:${m.id}` }))
    .filter((c) => typed === '' || c.value.includes(typed) || c.name.toLowerCase().includes(typed));
  await i.respond(names.slice(0, MAX_CHOICES));
}
