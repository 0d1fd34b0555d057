import { TYPED_CHAT_WORDS, type ChatWords } from '../../../src/chat/chat-words.ts';
import { LANES } from '../../../src/shared/types.ts';
import type { Logger } from '../../../src/shared/log.ts';

/** Every create and every edit says so: an edit re-parses mentions with the defaults otherwise. */
export const NO_MENTIONS = { parse: [] as [] };

/** Discord's user ids are snowflakes: 17 to 20 digits, never a name. */
export const isDiscordUserId = (text: string) => /^\d{17,20}$/.test(text);

/** Hive's workspace for a guild: its keys, budgets and settings are the guild's own. */
export const workspaceIdFor = (guildId: string) => `discord:${guildId}`;

/** Spacing of a digest's history reads: far inside Discord's REST limits (50 requests a second per bot), and kind to a busy bot's budget. */
export const HISTORY_PACE_MS = 1_000;

/**
 * Discord's words in Hive's messages: admins are members with Manage Server, and a slash command's
 * options are boxes to fill (`lane`, `model`), never typed flags.
 */
export const DISCORD_WORDS: ChatWords = {
  admins: 'members with the Manage Server permission',
  option: (flag) => `the \`${(LANES as readonly string[]).includes(flag) ? 'lane' : flag}\` option`,
  addKey: TYPED_CHAT_WORDS.addKey,
};

/** How a long answer that could not open a thread is logged: once per answer, with Discord's reason. */
export const noThreadLog =
  (host: { log: Logger }, where: { guildId: string; channelId: string }) =>
  (reason: string): void =>
    host.log.warn({ guildId: where.guildId, channelId: where.channelId, reason }, 'a long answer continued in follow-ups: no thread could be started');

/** What a press Hive cannot read is told (another app's button, one from an older Hive, a tampered id). */
export const NOT_OURS = 'This button is not Hive’s or has expired.';
