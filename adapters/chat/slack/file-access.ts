import type { AttachmentReader, AttachmentRef } from '../../../src/shared/attachment.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { DOWNLOAD_TIMEOUT_MS } from './file-download.ts';
import { createSlackFileReader, slackFileRefs, type SlackFileAuth } from './files.ts';

/** How far back `/ask` and `/consensus` look for the asker's files: a slash command carries none on Slack. */
export const RECENT_FILES_MS = 10 * 60_000;

/** Shared files as a Slack process sees them: read with a workspace's token, found for slash commands. */
export interface SlackFiles {
  /** Reads a workspace's files with its own bot token (the intake's and a worker's alike). */
  reader(workspaceId: string): AttachmentReader;
  /** The files the asker shared in a conversation in the last {@link RECENT_FILES_MS}; none when Slack cannot say. */
  recent(where: { workspaceId: string; channelId: string; userId: string }): Promise<AttachmentRef[]>;
}

export interface SlackFilesDeps {
  /** A workspace's bot token and a client built with it. */
  authFor(workspaceId: string): Promise<SlackFileAuth>;
  filesUrl: string;
  now: () => number;
  log: Logger;
  /** The adapter's clock, which a download's deadline runs on. */
  clock?: Clock;
}

/** Slack's shared files for one adapter or worker. */
export function createSlackFiles(d: SlackFilesDeps): SlackFiles {
  return {
    reader: (workspaceId) =>
      createSlackFileReader({
        auth: () => d.authFor(workspaceId),
        filesUrl: d.filesUrl,
        ...(d.clock ? { deadline: { clock: d.clock, ms: DOWNLOAD_TIMEOUT_MS } } : {}),
      }),
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
  };
}
