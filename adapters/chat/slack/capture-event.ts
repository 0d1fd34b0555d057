import type { CaptureEvent, CapturedFile, CapturedMessage } from '../../../src/chat/capture-event.ts';
import { slackFileRefs } from './files.ts';
import { isRecord } from './body-parse.ts';
import { slackToPlain } from './slack-text.ts';

/** Whose workspace a message is in, and who Hive is there, so Hive's own messages are never captured. */
export interface CaptureContext {
  workspaceId: string;
  botUserId: string | undefined;
  botId: string | undefined;
}

type Fields = Record<string, unknown>;

/** Conversations a digest may cover: public and private channels; direct messages (`im`, `mpim`) never. */
const CHANNEL_TYPES = new Set(['channel', 'group']);

/** Subtypes that are still a person writing (a reply also sent to the channel, a file with a comment, `/me`). */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share', 'me_message']);

/** Slack's own user (reminders, automatic replies) writes no human message. */
const SLACKBOT = 'USLACKBOT';

const TS = /^(\d{1,12})\.(\d{1,6})$/;

function str(f: Fields, k: string): string | undefined {
  const v = f[k];
  return typeof v === 'string' ? v : undefined;
}

/**
 * What a Slack `message` event means for a digest: a person's channel message, its edit or its
 * deletion; undefined for bots (Hive included), Slackbot, direct messages and channel notices.
 * The permalink is left to the caller, which needs the team's address for it.
 */
export function captureEventOf(event: unknown, c: CaptureContext): CaptureEvent | undefined {
  if (!isRecord(event) || event.type !== 'message') return undefined;
  const channelId = str(event, 'channel');
  if (!channelId || !CHANNEL_TYPES.has(str(event, 'channel_type') ?? '')) return undefined;
  const subtype = str(event, 'subtype');
  if (subtype === 'message_changed') return changeOf(event, channelId, c);
  if (subtype === 'message_deleted') return deletionOf(event, channelId, c);
  if (subtype !== undefined && !PERSON_SUBTYPES.has(subtype)) return undefined;
  const message = messageOf(event, channelId, c);
  return message ? { kind: 'message', message } : undefined;
}

/** When a Slack `ts` was sent, in ms since the epoch (exact: no floating point on the microseconds). */
export function msOfTs(ts: string): number | undefined {
  const m = TS.exec(ts);
  return m ? Number(m[1]) * 1000 + Math.floor(Number(m[2]!.padEnd(6, '0')) / 1000) : undefined;
}

function messageOf(e: Fields, channelId: string, c: CaptureContext): CapturedMessage | undefined {
  const ts = str(e, 'ts');
  const at = ts === undefined ? undefined : msOfTs(ts);
  const authorId = str(e, 'user');
  const text = slackToPlain(str(e, 'text') ?? '');
  const files = sharedFiles(e);
  if (ts === undefined || at === undefined || !authorId || !isPerson(e, c) || (text === '' && files.length === 0)) return undefined;
  const threadTs = str(e, 'thread_ts');
  return {
    workspaceId: c.workspaceId,
    channelId,
    messageId: ts,
    ...(threadTs && threadTs !== ts && TS.test(threadTs) ? { threadId: threadTs } : {}),
    authorId,
    authorName: authorNameOf(e, authorId),
    text,
    at,
    ...(files.length > 0 ? { files } : {}),
  };
}

/** The files shared with a message, by name and Slack's permalink: a digest notes them, never reads them. */
function sharedFiles(m: Fields): CapturedFile[] {
  return slackFileRefs(m.files).map((r) => ({ name: r.name, ...(r.link ? { link: r.link } : {}) }));
}

/** `message_changed`: the new text of a person's message; a thread parent deleted under its replies leaves a tombstone. */
function changeOf(e: Fields, channelId: string, c: CaptureContext): CaptureEvent | undefined {
  const m = e.message;
  const messageId = isRecord(m) ? str(m, 'ts') : undefined;
  if (!isRecord(m) || messageId === undefined || !TS.test(messageId)) return undefined;
  if (str(m, 'subtype') === 'tombstone') return { kind: 'delete', workspaceId: c.workspaceId, channelId, messageId };
  if (!isPerson(m, c)) return undefined;
  const text = slackToPlain(str(m, 'text') ?? '');
  // Reply counts, unfurls and language detection also arrive as changes; only a new text is an edit.
  const before = e.previous_message;
  if (text === '' || (isRecord(before) && before.text === m.text)) return undefined;
  const files = sharedFiles(m);
  return { kind: 'edit', workspaceId: c.workspaceId, channelId, messageId, text, ...(files.length > 0 ? { files } : {}) };
}

/** `message_deleted`: `deleted_ts` names the message; a bot's deletion is not reported either. */
function deletionOf(e: Fields, channelId: string, c: CaptureContext): CaptureEvent | undefined {
  const messageId = str(e, 'deleted_ts');
  if (messageId === undefined || !TS.test(messageId)) return undefined;
  const before = e.previous_message;
  if (isRecord(before) && isBot(before, c)) return undefined;
  return { kind: 'delete', workspaceId: c.workspaceId, channelId, messageId };
}

function isBot(m: Fields, c: CaptureContext): boolean {
  const user = str(m, 'user');
  return m.bot_id !== undefined || str(m, 'subtype') === 'bot_message' || (user !== undefined && (user === c.botUserId || user === SLACKBOT));
}

function isPerson(m: Fields, c: CaptureContext): boolean {
  const user = str(m, 'user');
  return user !== undefined && user !== '' && !isBot(m, c);
}

/** The name the event itself carries (no `users.info` per message), else the user id. */
function authorNameOf(e: Fields, userId: string): string {
  const p = isRecord(e.user_profile) ? e.user_profile : {};
  for (const n of [str(p, 'display_name'), str(p, 'real_name'), str(p, 'name'), str(e, 'username')]) {
    const name = n?.trim();
    if (name) return name;
  }
  return userId;
}
