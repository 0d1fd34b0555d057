/** Every create and every edit says so: an edit re-parses mentions with the defaults otherwise. */
export const NO_MENTIONS = { parse: [] as [] };

/** Hive's workspace for a guild: its keys, budgets and settings are the guild's own. */
export const workspaceIdFor = (guildId: string) => `discord:${guildId}`;

/** Spacing of a digest's history reads: far inside Discord's REST limits (50 requests a second per bot), and kind to a busy bot's budget. */
export const HISTORY_PACE_MS = 1_000;
