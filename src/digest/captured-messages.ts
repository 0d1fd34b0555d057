import type { LogDb } from '../store/log-db.ts';
import type { CapturedMessage } from './capture.ts';
import { splitFileNote } from './captured-files.ts';

/** What `/digest status` says about a channel's capture. */
export interface CaptureStats {
  count: number;
  oldestAt: number | undefined;
}

/** Rows deleted per statement when captured text expires, so a sweep never holds the store long. */
const SWEEP_BATCH = 500;

/** Reads the captured messages of a channel, and drops expired ones. */
export interface CapturedMessages {
  /** Messages sent in `(from, to]`, oldest first. */
  list(workspaceId: string, channelId: string, from: number, to: number): Promise<CapturedMessage[]>;
  stats(workspaceId: string, channelId: string): Promise<CaptureStats>;
  /** Deletes every message past its retention; returns how many. */
  sweep(): Promise<number>;
}

/** A stored text as the person wrote it, and the files noted with it. */
function noted(stored: string): Pick<CapturedMessage, 'text' | 'files'> {
  const { text, files } = splitFileNote(stored);
  return { text, ...(files.length > 0 ? { files } : {}) };
}

export function createCapturedMessages(db: LogDb, now: () => number = Date.now): CapturedMessages {
  return {
    async list(ws, ch, from, to) {
      const rows = await db
        .selectFrom('digest_messages')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('channel_id', '=', ch)
        .where('at', '>', from)
        .where('at', '<=', to)
        .where('expires_at', '>', now())
        .orderBy('at')
        .orderBy('message_id')
        .execute();
      return rows.map((r) => ({
        ...noted(r.text),
        workspaceId: r.workspace_id,
        channelId: r.channel_id,
        messageId: r.message_id,
        ...(r.thread_id ? { threadId: r.thread_id } : {}),
        authorId: r.author_id,
        authorName: r.author_name,
        at: Number(r.at),
        ...(r.permalink ? { permalink: r.permalink } : {}),
      }));
    },
    async stats(ws, ch) {
      const row = await db
        .selectFrom('digest_messages')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
        .where('workspace_id', '=', ws)
        .where('channel_id', '=', ch)
        .where('expires_at', '>', now())
        .executeTakeFirst();
      return { count: Number(row?.count ?? 0), oldestAt: row?.oldest == null ? undefined : Number(row.oldest) };
    },
    async sweep() {
      let total = 0;
      for (;;) {
        // Up to the 500th expiry: an indexed range delete of at most about one batch.
        const t = now();
        const edge = await db
          .selectFrom('digest_messages')
          .select('expires_at')
          .where('expires_at', '<=', t)
          .orderBy('expires_at')
          .offset(SWEEP_BATCH - 1)
          .limit(1)
          .executeTakeFirst();
        const r = await db
          .deleteFrom('digest_messages')
          .where('expires_at', '<=', edge ? Number(edge.expires_at) : t)
          .executeTakeFirst();
        const n = Number(r.numDeletedRows);
        total += n;
        if (!edge || n === 0) return total;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
