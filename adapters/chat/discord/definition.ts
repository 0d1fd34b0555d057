import type { ChatAdapterDefinition } from '../../../src/chat/chat-adapter-definition.ts';
import { optionalVar, parseVars, urlVar, type EnvVars } from '../../../src/env-fields.ts';

/** The `DISCORD_*` settings, validated today so a deployment learns of mistakes before Discord support ships. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl: string;
}

const DISCORD_VARS = { DISCORD_TOKEN: optionalVar, DISCORD_APPLICATION_ID: optionalVar, DISCORD_API_URL: urlVar };

function parseDiscordEnv(env: EnvVars, problems: string[]): DiscordConfig | undefined {
  const e = parseVars(env, DISCORD_VARS, problems);
  if (e.DISCORD_TOKEN === undefined && e.DISCORD_APPLICATION_ID === undefined) return undefined;
  if (e.DISCORD_TOKEN === undefined) problems.push('DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set');
  if (e.DISCORD_APPLICATION_ID === undefined) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  if (e.DISCORD_TOKEN === undefined || e.DISCORD_APPLICATION_ID === undefined) return undefined;
  return { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, apiUrl: e.DISCORD_API_URL ?? 'https://discord.com/api' };
}

/** Discord's registry entry: its settings are checked, but start-up refuses until the adapter ships. */
export const discordDefinition: ChatAdapterDefinition<DiscordConfig> = {
  name: 'discord',
  parseEnv: parseDiscordEnv,
  secrets: (c) => [c.token],
  enabled: (config) => config !== undefined,
  unavailable: 'DISCORD_TOKEN is set, but the Discord adapter is not part of this build yet; unset DISCORD_* to continue.',
  async create() {
    throw new Error('The Discord adapter is not part of this build yet');
  },
};
