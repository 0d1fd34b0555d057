import { DiscordAPIError, Routes, makeURLSearchParams, type APIMessage, type REST } from 'discord.js';
import type { OutMessage } from './message-body.ts';
import { messageBody } from './message-body.ts';
import type { PostLog } from './post-log.ts';
import { postMessages } from './send.ts';

/** What answering one deferred interaction does on Discord: the same at intake and in a worker. */
export interface InteractionReplies {
  /** Replaces the deferred response (idempotent); returns its message id. Once Components V2, it stays so. */
  editOriginal(m: OutMessage): Promise<string>;
  /** The answer's `n`-th follow-up (from 1), created once per job. */
  followUp(n: number, m: OutMessage, ephemeral: boolean): Promise<void>;
  deleteOriginal(): Promise<void>;
  /** Posts messages in a channel or thread (a late answer, an answer's continuation). Returns their ids. */
  postIn(channelId: string, messages: OutMessage[], from: number): Promise<string[]>;
  /** Opens a public thread from one of the answer's messages; its id (the message's), or why it cannot be. */
  startThread(messageId: string, name: string): Promise<{ threadId: string } | { refused: string }>;
  /** The interaction's channel (perhaps a thread). */
  readonly channelId: string;
}

/** An interaction as REST addresses it: no bot token (webhook routes carry the interaction's own). */
export interface InteractionTarget {
  applicationId: string;
  token: string;
  channelId: string;
}

/** Discord's code for a message that already has a thread (a resumed job opening it again). */
const THREAD_EXISTS = 160004;
/** Why a thread cannot be started here: no permission, no access, a thread or DM, a forum. */
const NO_THREAD = new Set([50001, 50013, 50024, 50008, 160002]);

/** The replies of one interaction through Discord's REST API (discord.js's client REST at intake, a worker's own elsewhere). */
export function interactionReplies(
  rest: REST,
  t: InteractionTarget,
  job: { jobId: string; log: PostLog; resumed?: boolean; ready?: () => Promise<void> },
): InteractionReplies {
  const ready = job.ready ?? (() => Promise.resolve());
  const original = Routes.webhookMessage(t.applicationId, t.token, '@original');
  // An earlier run may have made the reply Components V2 (its Cancel): a resumed run edits it as V2 from the start.
  let originalV2 = job.resumed === true;
  const edit = async (route: `/${string}`, m: OutMessage) => {
    await ready();
    return ((await rest.patch(route, { body: messageBody(m, { edit: true }), auth: false })) as APIMessage).id;
  };
  return {
    channelId: t.channelId,
    editOriginal: async (m) => {
      const v2 = originalV2 || (m.offers?.length ?? 0) > 0 || m.v2 === true;
      const id = await edit(original, { ...m, v2 });
      originalV2 = v2;
      return id;
    },
    async followUp(n, m, ephemeral) {
      const body = messageBody(m, { ephemeral });
      const query = makeURLSearchParams({ wait: true });
      const create = async () => {
        await ready();
        return ((await rest.post(Routes.webhook(t.applicationId, t.token), { body, query, auth: false })) as APIMessage).id;
      };
      await job.log.put(`f${n}`, create, (id) => edit(Routes.webhookMessage(t.applicationId, t.token, id), m));
    },
    async deleteOriginal() {
      await ready();
      await rest.delete(original, { auth: false });
    },
    postIn: (channelId, messages, from) => postMessages(rest, channelId, messages, { ...job, from }),
    async startThread(messageId, name) {
      try {
        await rest.post(Routes.threads(t.channelId, messageId), { body: { name, auto_archive_duration: 1440 } });
      } catch (e) {
        if (!(e instanceof DiscordAPIError)) throw e;
        if (NO_THREAD.has(Number(e.code))) return { refused: `${e.code}: ${e.message}` };
        if (e.code !== THREAD_EXISTS) throw e;
      }
      return { threadId: messageId };
    },
  };
}
