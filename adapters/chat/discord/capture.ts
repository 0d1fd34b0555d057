import { Events, MessageType, type Client, type Message, type PartialMessage } from 'discord.js';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { CaptureEvent, CapturedFile } from '../../../src/chat/capture-event.ts';
import { workspaceIdFor } from './conventions.ts';

/** A message as discord.js delivers it: whole, or (uncached, e.g. sent before a restart) only its ids. */
type AnyMessage = Message | PartialMessage;

/** People's own posts and replies; joins, pins, thread notices and the like are Discord's, not theirs. */
const PEOPLE_TYPES: ReadonlySet<MessageType> = new Set([MessageType.Default, MessageType.Reply]);

/** Where a message is filed: its channel, or for a thread its parent channel with the thread named. */
function placeOf(m: AnyMessage): { workspaceId: string; channelId: string; threadId?: string } | undefined {
  if (!m.guildId) return undefined; // DMs never
  const workspaceId = workspaceIdFor(m.guildId);
  const channel = m.channel;
  if (channel?.isThread()) return { workspaceId, channelId: channel.parentId ?? channel.id, threadId: channel.id };
  return { workspaceId, channelId: m.channelId };
}

/** Whether a person wrote it: no bot (Hive included), webhook or system notice; what a partial lacks does not count against it. */
const byPerson = (m: AnyMessage) => !m.author?.bot && !m.webhookId && (m.type === null || PEOPLE_TYPES.has(m.type));

/** The text a digest reads: mentions of people, channels and roles shown as their names. */
const plainText = (m: AnyMessage) => m.cleanContent ?? m.content ?? '';

/** A new human message, as the digest keeps it (author named as the server shows them). */
export function messageEvent(m: Message): CaptureEvent | undefined {
  const place = placeOf(m);
  if (!place || !m.guildId || !byPerson(m)) return undefined;
  const authorName = m.member?.displayName ?? m.author.globalName ?? m.author.username;
  const permalink = `https://discord.com/channels/${m.guildId}/${m.channelId}/${m.id}`;
  const files = filesOf(m, permalink);
  const message = { ...place, messageId: m.id, authorId: m.author.id, authorName, text: plainText(m), at: m.createdTimestamp, permalink, ...files };
  return { kind: 'message', message };
}

/**
 * A message's attachments by name, linked to the message (their CDN links are signed and expire):
 * a digest notes them, never reads them.
 */
function filesOf(m: AnyMessage, permalink: string): { files?: CapturedFile[] } {
  const list = m.attachments ? [...m.attachments.values()] : [];
  return list.length > 0 ? { files: list.map((a) => ({ name: a.name, link: permalink })) } : {};
}

/**
 * A changed text. An update that leaves the text alone (an embed resolving) is no edit; for an
 * uncached message, whose old text is unknown, Discord's edit stamp says whether it was edited.
 */
export function editEvent(old: AnyMessage, m: AnyMessage): CaptureEvent | undefined {
  const place = placeOf(m);
  if (!place || typeof m.content !== 'string' || !byPerson(m)) return undefined;
  const changed = typeof old.content === 'string' ? old.content !== m.content : m.editedTimestamp !== null;
  if (!changed) return undefined;
  const files = m.guildId ? filesOf(m, `https://discord.com/channels/${m.guildId}/${m.channelId}/${m.id}`) : {};
  return { kind: 'edit', workspaceId: place.workspaceId, channelId: place.channelId, messageId: m.id, text: plainText(m), ...files };
}

/** A deleted message (usually a partial: only its ids are known). */
export function deleteEvent(m: AnyMessage): CaptureEvent | undefined {
  const place = placeOf(m);
  if (!place || !byPerson(m)) return undefined;
  return { kind: 'delete', workspaceId: place.workspaceId, channelId: place.channelId, messageId: m.id };
}

/** What the capture wiring needs from the adapter: whether intake is open, and how work in flight is tracked for a graceful stop. */
export interface CaptureIntake {
  accepting(): boolean;
  track(p: Promise<void>): void;
}

/**
 * Feeds every guild message, edit and deletion to the digest capture. It runs beside thread
 * answers, never before them, and never fails the gateway: errors are logged as warnings. Events
 * of one message are observed in order, so an edit never overtakes the message it changes.
 */
export function feedDigestCapture(client: Client, host: ChatHost, intake: CaptureIntake): void {
  const chains = new Map<string, Promise<void>>();
  const observe = (e: CaptureEvent) => {
    const id = e.kind === 'message' ? e.message.messageId : e.messageId;
    const next = (chains.get(id) ?? Promise.resolve())
      .then(() => host.capture.observe(e))
      .catch((err: unknown) => host.log.warn({ err, kind: e.kind, messageId: id }, 'digest capture failed'))
      .finally(() => chains.get(id) === next && chains.delete(id));
    chains.set(id, next);
    intake.track(next);
  };
  const on = (build: () => (CaptureEvent | undefined)[]) => {
    if (!intake.accepting()) return;
    try {
      for (const e of build()) if (e) observe(e);
    } catch (err) {
      host.log.warn({ err }, 'digest capture failed');
    }
  };
  client.on(Events.MessageCreate, (m) => on(() => [messageEvent(m)]));
  client.on(Events.MessageUpdate, (old, m) => on(() => [editEvent(old, m)]));
  client.on(Events.MessageDelete, (m) => on(() => [deleteEvent(m)]));
  client.on(Events.MessageBulkDelete, (messages) => on(() => messages.map((m) => deleteEvent(m))));
}
