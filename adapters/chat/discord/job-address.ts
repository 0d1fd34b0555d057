import { Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';
import { createJobAddressCodec } from '../../../src/chat/address-codec.ts';
import type { JobDelivery } from '../../../src/chat/answerer.ts';
import type { Invocation } from '../../../src/chat/invocation.ts';
import { deliver, INTERACTION_TOKEN_MS, liveEdits, STREAM_EDIT_MS } from './deliver.ts';
import { createPostLog } from './post-log.ts';
import { interactionReplies } from './replies.ts';
import { postParts } from './send.ts';
import { keepTyping } from './typing.ts';
import { pressSide } from './press-side.ts';
import { DISCORD_WORDS, isDiscordUserId } from './conventions.ts';
import type { OnThread } from './thread-files.ts';

/**
 * Where a Discord answer goes, as plain data: built at intake, used there or by a worker in
 * another process (which has no gateway to ask). Never the bot token.
 */
export interface DiscordJobAddress {
  /**
   * `slash`: a deferred interaction; `thread`: a message in one of Hive's threads; `press`: a
   * button (acknowledged without a reply): a public answer is a new message at `channelId`, a
   * private one the interaction's ephemeral follow-up.
   */
  kind: 'slash' | 'thread' | 'press';
  guildId: string;
  /** Where the answer is posted: the interaction's channel (perhaps a thread), or Hive's thread. */
  channelId: string;
  userId: string;
  /** Decided at intake (Manage Server, or `HIVE_ADMIN_USER_IDS`). */
  admin: boolean;
  /** A slash command's interaction: its token (15 minutes from the defer) and how it was deferred. */
  interaction?: { applicationId: string; token: string; deferredAt: number; privately: boolean; openThread: boolean; threadable?: boolean };
}

/** The address's shape as a worker accepts it: a slash answer needs its interaction. */
const discordAddressShape: z.ZodType<DiscordJobAddress> = z
  .object({
    kind: z.enum(['slash', 'thread', 'press']),
    guildId: z.string().min(1),
    channelId: z.string().min(1),
    userId: z.string().min(1),
    admin: z.boolean(),
    interaction: z
      .object({
        applicationId: z.string().min(1),
        token: z.string().min(1),
        deferredAt: z.number(),
        privately: z.boolean(),
        openThread: z.boolean(),
        // Absent in addresses queued before long answers went on in threads: none is started then.
        threadable: z.boolean().optional(),
      })
      .optional(),
  })
  .refine((a) => a.kind === 'thread' || a.interaction !== undefined, { message: 'a slash or press address needs its interaction', path: ['interaction'] });

/** How a Discord address crosses the queue; version 1 is the shape above. */
export const discordAddressCodec = createJobAddressCodec({ platform: 'discord', version: 1, schema: discordAddressShape });

/** The answering half of an invocation, and what ends it (the typing indicator). */
export type AnswerSide = Pick<Invocation, 'respond' | 'onText' | 'progress'> & { done(): void };

/** What answering needs besides the address: the job's id (nonces) and, in a worker, its delivery record. */
export interface AnswerOptions {
  jobId: string;
  now?: () => number;
  streamEditMs?: number;
  delivery?: Pick<JobDelivery, 'ref' | 'posted'> & Partial<Pick<JobDelivery, 'resumed'>>;
  /** Told why a long answer went on in follow-ups rather than a thread (no permission, a forum). */
  noThread?: (reason: string) => void;
  /** Told the thread a slash command's answer opened. */
  onThread?: OnThread;
  /** Awaited before anything is written through the interaction's token (intake defers only once a job runs). */
  beforeReply?: () => Promise<void>;
}

/** How a reply reaches Discord from an address, over REST: the same at intake and in a worker. */
export function answerSide(rest: REST, a: DiscordJobAddress, o: AnswerOptions): AnswerSide {
  const job = { jobId: o.jobId, log: createPostLog(o.delivery) };
  const i = a.interaction;
  if (!i) {
    const typing = keepTyping(() => rest.post(Routes.channelTyping(a.channelId)));
    return {
      respond: async (reply) => {
        typing.stop();
        await postParts(rest, a.channelId, reply, job);
      },
      done: typing.stop,
    };
  }
  const target = { applicationId: i.applicationId, token: i.token, channelId: a.channelId };
  const replies = interactionReplies(rest, target, { ...job, resumed: o.delivery?.resumed === true, ...(o.beforeReply ? { ready: o.beforeReply } : {}) });
  if (a.kind === 'press') return pressSide(rest, a, replies, { ...job, streamEditMs: o.streamEditMs ?? STREAM_EDIT_MS, resumed: o.delivery?.resumed === true });
  const now = o.now ?? Date.now;
  const d = {
    deferredPrivately: i.privately,
    openThread: i.openThread,
    threadable: i.threadable ?? false,
    deferredAt: i.deferredAt,
    askerId: a.userId,
    now,
    ...(o.noThread ? { noThread: o.noThread } : {}),
    ...(o.onThread ? { onThread: o.onThread } : {}),
  };
  if (i.privately) return { respond: (reply) => deliver(replies, reply, d), done: () => undefined };
  // Past the token's life the deferred message can no longer be edited: progress and streamed text wait for the answer, which goes to the channel.
  const live = liveEdits((m) => (now() - i.deferredAt < INTERACTION_TOKEN_MS ? replies.editOriginal(m) : Promise.resolve()), o.streamEditMs ?? STREAM_EDIT_MS);
  return {
    respond: (reply) => live.final(() => deliver(replies, reply, d)),
    onText: (delta) => live.stream(delta),
    progress: async (note) => live.note(note),
    done: () => undefined,
  };
}

/** What an invocation says of its request: the platform-neutral fields, from intake or a queued job. */
export type DiscordRequest = Pick<Invocation, 'workspaceId' | 'channelId' | 'threadId' | 'userId' | 'command' | 'text' | 'context'>;

/** An invocation answered through `side`, its admin check the one intake made. */
export function discordInvocation(req: DiscordRequest, a: DiscordJobAddress, side: AnswerSide): Invocation {
  return {
    platform: 'discord',
    words: DISCORD_WORDS,
    isUserId: isDiscordUserId,
    actions: ACTION_KINDS,
    ...req,
    isAdmin: async () => a.admin,
    respond: side.respond,
    ...(side.onText ? { onText: side.onText } : {}),
    ...(side.progress ? { progress: side.progress } : {}),
  };
}
