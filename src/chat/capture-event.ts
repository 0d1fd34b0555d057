/* The digest capture's side of the chat seam: what adapters report (src/digest/capture.ts keeps it). */

/** A person's channel message as the platform delivered it, for a digest. */
export interface CapturedMessage {
  workspaceId: string;
  channelId: string;
  messageId: string;
  /** The thread it belongs to (its parent message or thread channel), when it is a reply. */
  threadId?: string;
  authorId: string;
  /** The name shown in the digest (owners are named as written, this is who wrote it). */
  authorName: string;
  /** Plain text, mentions resolved to names. */
  text: string;
  /** When it was sent, ms since the epoch. */
  at: number;
  /** A link to the message on its platform. */
  permalink?: string;
  /** Files shared with it, by name and where people open them; a digest names them and never reads them. */
  files?: CapturedFile[];
}

/** A file shared with a captured message: its name and a link to it (the platform's permalink, or the message's). */
export interface CapturedFile {
  name: string;
  link?: string;
}

/** A change a chat adapter reports; messages of bots (Hive's own included) are never reported. */
export type CaptureEvent =
  | { kind: 'message'; message: CapturedMessage }
  | { kind: 'edit'; workspaceId: string; channelId: string; messageId: string; text: string; files?: CapturedFile[] }
  | { kind: 'delete'; workspaceId: string; channelId: string; messageId: string };

/**
 * Where chat adapters send every human channel message they see. Only channels with a digest on
 * keep anything: other messages are dropped before any write.
 */
export interface DigestCapture {
  observe(e: CaptureEvent): Promise<void>;
}
