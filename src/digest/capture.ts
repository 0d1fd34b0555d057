import type { SecretRegistry } from '../shared/secrets.ts';
import type { LogDb } from '../store/log-db.ts';
import type { DigestChannels } from './digest-channels.ts';
import type { DigestCapture } from '../chat/capture-event.ts';
import { withFileNote } from './captured-files.ts';

export type { CapturedMessage, CaptureEvent, DigestCapture } from '../chat/capture-event.ts';

/** Captured text is kept this long by default (`HIVE_DIGEST_RETENTION_HOURS`). */
export const DEFAULT_CAPTURE_RETENTION_MS = 48 * 3_600_000;

export interface DigestCaptureOptions {
  db: LogDb;
  channels: DigestChannels;
  /** Known keys and tokens (the operator's and the message's workspace's), masked before a message is stored. */
  secrets?: SecretRegistry;
  retentionMs?: number;
  now?: () => number;
}

/** Stores, edits and deletes captured messages of channels with a digest on. */
export function createDigestCapture(o: DigestCaptureOptions): DigestCapture {
  const now = o.now ?? Date.now;
  const retention = o.retentionMs ?? DEFAULT_CAPTURE_RETENTION_MS;
  const scrub = (ws: string, t: string) => (o.secrets ? o.secrets.forWorkspace(ws).scrub(t) : t);
  return {
    async observe(e) {
      const ws = e.kind === 'message' ? e.message.workspaceId : e.workspaceId;
      const ch = e.kind === 'message' ? e.message.channelId : e.channelId;
      if (!(await o.channels.isOn(ws, ch))) return;
      if (e.kind === 'delete') {
        await o.db.deleteFrom('digest_messages').where('workspace_id', '=', ws).where('channel_id', '=', ch).where('message_id', '=', e.messageId).execute();
        return;
      }
      if (e.kind === 'edit') {
        await o.db
          .updateTable('digest_messages')
          .set({ text: scrub(ws, withFileNote(e.text, e.files)), edited: 1 })
          .where('workspace_id', '=', ws)
          .where('channel_id', '=', ch)
          .where('message_id', '=', e.messageId)
          .execute();
        return;
      }
      const m = e.message;
      const row = {
        workspace_id: ws,
        channel_id: ch,
        message_id: m.messageId,
        thread_id: m.threadId ?? null,
        author_id: m.authorId,
        author_name: m.authorName,
        // Files by name and link only: a digest never downloads or reads them.
        text: scrub(ws, withFileNote(m.text, m.files)),
        at: m.at,
        permalink: m.permalink ?? null,
        edited: 0,
        expires_at: Math.max(m.at, now()) + retention,
      };
      // A redelivered event (a retry, a resumed gateway) changes nothing.
      await o.db
        .insertInto('digest_messages')
        .values(row)
        .onConflict((oc) => oc.columns(['workspace_id', 'channel_id', 'message_id']).doNothing())
        .execute();
    },
  };
}
