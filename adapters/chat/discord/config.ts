import { optionalVar, parseVars, urlVar, type EnvVars } from '../../../src/shared/env-fields.ts';
import { DISCORD_CDN_ORIGINS } from './files.ts';

/** The `DISCORD_*` settings. */
export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl: string;
  /** Where attachments may be downloaded from: Discord's CDN hosts, or `DISCORD_CDN_URL` alone (proxies, tests). */
  cdnUrls?: readonly string[];
}

const DISCORD_VARS = { DISCORD_TOKEN: optionalVar, DISCORD_APPLICATION_ID: optionalVar, DISCORD_API_URL: urlVar, DISCORD_CDN_URL: urlVar };

/** Parses the `DISCORD_*` variables, pushing every problem; undefined when Discord is not configured. */
export function parseDiscordEnv(env: EnvVars, problems: string[]): DiscordConfig | undefined {
  const e = parseVars(env, DISCORD_VARS, problems);
  if (e.DISCORD_TOKEN === undefined && e.DISCORD_APPLICATION_ID === undefined) return undefined;
  if (e.DISCORD_TOKEN === undefined) problems.push('DISCORD_TOKEN: required when DISCORD_APPLICATION_ID is set');
  if (e.DISCORD_APPLICATION_ID === undefined) problems.push('DISCORD_APPLICATION_ID: required when DISCORD_TOKEN is set');
  if (e.DISCORD_TOKEN === undefined || e.DISCORD_APPLICATION_ID === undefined) return undefined;
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiUrl: e.DISCORD_API_URL ?? 'https://discord.com/api',
    cdnUrls: e.DISCORD_CDN_URL ? [e.DISCORD_CDN_URL] : DISCORD_CDN_ORIGINS,
  };
}

/** The hosts attachments are read from: the configured ones, else Discord's own. */
export const cdnOf = (c: DiscordConfig): readonly string[] => c.cdnUrls ?? DISCORD_CDN_ORIGINS;
