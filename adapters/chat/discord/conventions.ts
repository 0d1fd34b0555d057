/** Every create and every edit says so: an edit re-parses mentions with the defaults otherwise. */
export const NO_MENTIONS = { parse: [] as [] };

/** Hive's workspace for a guild: its keys, budgets and settings are the guild's own. */
export const workspaceIdFor = (guildId: string) => `discord:${guildId}`;
