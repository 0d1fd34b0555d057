import type { ChatAdapterDefinition } from '../../../src/chat/chat-adapter-definition.ts';
import { parseDiscordEnv, type DiscordConfig } from './config.ts';

export type { DiscordConfig } from './config.ts';

/** Discord's registry entry: runs when `DISCORD_TOKEN` and `DISCORD_APPLICATION_ID` are set. */
export const discordDefinition: ChatAdapterDefinition<DiscordConfig> = {
  name: 'discord',
  parseEnv: parseDiscordEnv,
  secrets: (c) => [c.token],
  enabled: (config) => config !== undefined,
  async create(host, config) {
    // Loaded only here: discord.js is heavy, and the terminal and the CLI never need it.
    const { createDiscordAdapter } = await import('./index.ts');
    return createDiscordAdapter({ config, host });
  },
  jobAddressCodec: async () => (await import('./job-address.ts')).discordAddressCodec,
  async createAnswerer(host, config) {
    const { createDiscordAnswerer } = await import('./answerer.ts');
    return createDiscordAnswerer({ config, host });
  },
};
