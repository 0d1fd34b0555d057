import type Keyv from 'keyv';
import type { AttachmentReader, AttachmentRef } from '../../../src/shared/attachment.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { createSlackFileReader, slackFileRefs, type SlackFileAuth } from './files.ts';

/** How far back `/ask` and `/consensus` look for the asker's files: a slash command carries none on Slack. */
export const RECENT_FILES_MS = 10 * 60_000;

/** Files a thread keeps for its later turns: past this many, the oldest are forgotten. */
const THREAD_FILES_MAX = 20;

/** One Slack thread, as the thread files are kept by. */
export interface SlackThreadKey {
  teamId: string;
  channelId: string;
  threadTs: string;
}

/** Shared files as a Slack process sees them: read with a workspace's token, found for slash commands, kept per thread. */
export interface SlackFiles {
  /** Reads a workspace's files with its own bot token (the intake's and a worker's alike). */
  reader(workspaceId: string): AttachmentReader;
  /** The files the asker shared in a conversation in the last {@link RECENT_FILES_MS}; none when Slack cannot say. */
  recent(where: { workspaceId: string; channelId: string; userId: string }): Promise<AttachmentRef[]>;
  /**
   * The files of a thread's earlier turns (marked `earlier`), and records this turn's: Slack's
   * `conversations.replies` allows a read a minute, so a thread's files are kept as its transcript is.
   */
  threadTurn(thread: SlackThreadKey, own: AttachmentRef[]): Promise<AttachmentRef[]>;
}

export interface SlackFilesDeps {
  /** A workspace's bot token and a client built with it. */
  authFor(workspaceId: string): Promise<SlackFileAuth>;
  filesUrl: string;
  /** The thread files' store (the `threads` namespace) and how long they are kept (the transcripts' retention). */
  store: Keyv<{ refs: AttachmentRef[] }>;
  ttlMs: number;
  now: () => number;
  log: Logger;
}

/** Slack's shared files for one adapter or worker. */
export function createSlackFiles(d: SlackFilesDeps): SlackFiles {
  return {
    reader: (workspaceId) => createSlackFileReader({ auth: () => d.authFor(workspaceId), filesUrl: d.filesUrl }),
    async recent(w) {
      try {
        const { client } = await d.authFor(w.workspaceId);
        const from = Math.floor((d.now() - RECENT_FILES_MS) / 1000);
        const r = await client.files.list({ channel: w.channelId, user: w.userId, ts_from: String(from), count: 20 });
        return slackFileRefs(r.files);
      } catch (err) {
        d.log.warn({ err }, 'could not list the files shared with a Slack command');
        return [];
      }
    },
    async threadTurn(t, own) {
      const key = `files:${t.teamId}:${t.channelId}:${t.threadTs}`;
      try {
        const kept = (await d.store.get(key))?.refs ?? [];
        const mine = new Set(own.map((r) => r.id));
        const before = kept.filter((r) => !mine.has(r.id));
        if (own.length > 0) await d.store.set(key, { refs: [...before, ...own].slice(-THREAD_FILES_MAX) }, d.ttlMs);
        return before.map((r) => ({ ...r, earlier: true }));
      } catch (err) {
        d.log.warn({ err }, 'could not read or keep the files of a Slack thread');
        return [];
      }
    },
  };
}
