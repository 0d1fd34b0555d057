import { DiscordAPIError, MessageFlags, Routes, makeURLSearchParams, type APIMessage, type REST } from 'discord.js';
import type { Reply } from '../../../src/chat/invocation.ts';
import { NO_MENTIONS } from './conventions.ts';
import type { PostLog } from './post-log.ts';
import { postParts } from './send.ts';

/** What answering one deferred interaction does on Discord: the same at intake and in a worker. */
export interface InteractionReplies {
  /** Replaces the deferred response (idempotent); returns its message id. */
  editOriginal(content: string): Promise<string>;
  /** The answer's `n`-th follow-up (from 1), created once per job. */
  followUp(n: number, content: string, ephemeral: boolean): Promise<void>;
  deleteOriginal(): Promise<void>;
  /** Posts in the interaction's channel (or thread): a late answer. Returns the first message's id. */
  postInChannel(reply: Reply): Promise<string | undefined>;
  /** Opens a public thread from one of the answer's messages. */
  startThread(messageId: string, name: string): Promise<void>;
}

/** An interaction as REST addresses it: no bot token (webhook routes carry the interaction's own). */
export interface InteractionTarget {
  applicationId: string;
  token: string;
  channelId: string;
}

/** Discord's code for a message that already has a thread (a resumed job opening it again). */
const THREAD_EXISTS = 160004;

/** The replies of one interaction through Discord's REST API (discord.js's client REST at intake, a worker's own elsewhere). */
export function interactionReplies(rest: REST, t: InteractionTarget, job: { jobId: string; log: PostLog }): InteractionReplies {
  const original = Routes.webhookMessage(t.applicationId, t.token, '@original');
  const edit = async (route: `/${string}`, content: string) =>
    ((await rest.patch(route, { body: { content, allowed_mentions: NO_MENTIONS }, auth: false })) as APIMessage).id;
  return {
    editOriginal: (content) => edit(original, content),
    async followUp(n, content, ephemeral) {
      const body = { content, allowed_mentions: NO_MENTIONS, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
      const query = makeURLSearchParams({ wait: true });
      const create = async () => ((await rest.post(Routes.webhook(t.applicationId, t.token), { body, query, auth: false })) as APIMessage).id;
      await job.log.put(`f${n}`, create, (id) => edit(Routes.webhookMessage(t.applicationId, t.token, id), content));
    },
    async deleteOriginal() {
      await rest.delete(original, { auth: false });
    },
    async postInChannel(reply) {
      const [first] = await postParts(rest, t.channelId, reply, { ...job, echoQuestion: true });
      return first;
    },
    async startThread(messageId, name) {
      try {
        await rest.post(Routes.threads(t.channelId, messageId), { body: { name, auto_archive_duration: 1440 } });
      } catch (e) {
        if (!(e instanceof DiscordAPIError && e.code === THREAD_EXISTS)) throw e;
      }
    },
  };
}
