import { REST, Routes } from 'discord.js';
import type { DiscordConfig } from './config.ts';
import { discordCommands } from './commands.ts';

/**
 * Registers Hive's slash commands with Discord: globally (every server that invites the bot; Discord
 * may take a while to show changes) or in one server (at once, for development). Replaces the set.
 */
export async function registerDiscordCommands(config: DiscordConfig, guildId?: string): Promise<{ names: string[]; where: string }> {
  const rest = new REST({ api: config.apiUrl }).setToken(config.token);
  const route = guildId ? Routes.applicationGuildCommands(config.applicationId, guildId) : Routes.applicationCommands(config.applicationId);
  const commands = discordCommands();
  await rest.put(route, { body: commands });
  return { names: commands.map((c) => c.name), where: guildId ? `server ${guildId}` : 'every server (global)' };
}
