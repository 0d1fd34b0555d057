import { Client } from 'discord.js';
import type { ChatAnswerer } from '../../../src/chat/answerer.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { QueuedJob } from '../../../src/chat/answerer.ts';
import { cdnOf, type DiscordConfig } from './config.ts';
import { createDiscordFileReader } from './files.ts';
import { withFiles } from './file-refs.ts';
import { answerSide, discordAddressCodec, discordInvocation, type DiscordRequest } from './job-address.ts';
import { editReply, postReply } from './send.ts';
import { HISTORY_PACE_MS, NO_MENTIONS, noThreadLog } from './conventions.ts';
import { readHistoryPage } from './history-page.ts';
import { awaitAcknowledged } from './acknowledged.ts';
import { discordTranscripts, keepRootFiles } from './thread-files.ts';

/**
 * Discord in a worker process: no gateway login, only REST at `DISCORD_API_URL`. It answers
 * queued jobs at the address intake recorded (the interaction's webhook, Hive's thread) and posts
 * digests, with the REST queue honouring 429s as the adapter's does.
 */
export function createDiscordAnswerer(o: { config: DiscordConfig; host: ChatHost; now?: () => number; streamEditMs?: number }): ChatAnswerer {
  // A client that never logs in: its REST side only (channels and messages fetched, nothing received).
  const client = new Client({ intents: [], rest: { api: o.config.apiUrl }, allowedMentions: NO_MENTIONS });
  const rest = client.rest.setToken(o.config.token);
  const running = new Set<() => void>();
  const readAttachment = createDiscordFileReader(cdnOf(o.config));
  const transcripts = discordTranscripts(o.host);
  return {
    name: 'discord',
    async resume(job, delivery) {
      // Checked before anything is shown (typing, an edit): an unreadable address refuses the job untouched.
      const address = discordAddressCodec.decode(job);
      const i = address.kind === 'slash' ? address.interaction : undefined;
      // A channel command's answer opens its thread here: its files are kept for the thread's follow-ups.
      const onThread = i && keepRootFiles(o.host, transcripts, { ...address, command: job.command, text: job.text, files: job.attachments });
      const side = answerSide(rest, address, {
        jobId: job.id,
        delivery,
        noThread: noThreadLog(o.host, address),
        ...(onThread ? { onThread } : {}),
        ...(i ? { beforeReply: awaitAcknowledged(rest, i, o.now ?? Date.now) } : {}),
        ...(o.now ? { now: o.now } : {}),
        ...(o.streamEditMs !== undefined ? { streamEditMs: o.streamEditMs } : {}),
      });
      running.add(side.done);
      const respond = side.respond;
      const inv = discordInvocation(requestOf(job), address, {
        ...side,
        respond: async (reply) => {
          running.delete(side.done);
          side.done();
          await respond(reply);
        },
      });
      // The files intake saw (or a pressed re-run's), read again here from Discord's CDN.
      return { ...inv, readAttachment, ...withFiles(job.attachments ?? [], readAttachment) };
    },
    history: (target, sinceMs, cursor) => readHistoryPage(client, target, sinceMs, cursor),
    historyPaceMs: HISTORY_PACE_MS,
    post: (target, reply) => postReply(rest, target, reply),
    edit: (ref, reply) => editReply(rest, ref, reply),
    async stop() {
      for (const done of running) done();
      running.clear();
      await client.destroy();
    },
  };
}

/** The request a job carries, as intake saw it. */
function requestOf(job: QueuedJob): DiscordRequest {
  return {
    workspaceId: job.workspaceId,
    channelId: job.channelId,
    ...(job.threadId ? { threadId: job.threadId } : {}),
    userId: job.userId,
    command: job.command,
    text: job.text,
    ...(job.context ? { context: job.context } : {}),
  };
}
