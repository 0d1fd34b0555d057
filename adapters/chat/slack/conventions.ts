import { TYPED_CHAT_WORDS, type ChatWords } from '../../../src/chat/chat-words.ts';

/** Slack's words in Hive's messages: workspace admins, typed `--flags`, and `/hive keys`'s modal for a key. */
export const SLACK_WORDS: ChatWords = TYPED_CHAT_WORDS;

/** Slack's user ids: `U…`, or `W…` on Enterprise Grid; a typed name is never one. */
export const isSlackUserId = (text: string) => /^[UW][A-Z0-9]{2,}$/.test(text);
