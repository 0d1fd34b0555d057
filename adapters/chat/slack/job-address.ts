import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { createJobAddressCodec } from '../../../src/chat/address-codec.ts';
import { recordExchange } from '../../../src/chat/exchange.ts';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';
import type { SlackDeps } from './deps.ts';
import type { PostRecord } from './placeholder.ts';
import type { SlackMessage } from './render.ts';
import { createResponder, type Responder } from './responder.ts';
import { createAssistantStatus } from './assistant-status.ts';
import { withReplyImage } from './reply-image.ts';

/** A thread answer's stream: in the thread, for the asker (Slack requires a recipient outside DMs). */
const threadStream = (a: SlackJobAddress) => ({ ...streamFor(a), thread: async () => a.threadTs });

/** A stream's team, and outside a DM (ids `D…`) the person it is for, which Slack requires there. */
const streamFor = (a: SlackJobAddress) => ({
  teamId: a.teamId,
  ...(a.channelId.startsWith('D') ? {} : { recipient: { userId: a.userId, teamId: a.teamId } }),
});

/** Where a Slack answer goes, as plain data: built at intake, used there or by a worker in another process. */
export interface SlackJobAddress {
  /** `slash`: a slash command (top level, `response_url` for private replies); `thread`: a mention or thread message. */
  kind: 'slash' | 'thread';
  teamId: string;
  channelId: string;
  userId: string;
  threadTs?: string;
  /** A slash command's `response_url` (valid 30 minutes, five posts). */
  responseUrl?: string;
  /** Whether a slow job gets a placeholder (off for quick admin verbs). */
  placeholder: boolean;
  /**
   * A DM: answered inline (top level), not in a thread under the question; `threadTs` is the
   * question's ts (its transcript and assistant status). Older readers ignore it and thread the answer.
   */
  inline?: boolean;
}

/** The address's shape as a worker accepts it: a thread answer needs its thread. */
const slackAddressShape: z.ZodType<SlackJobAddress> = z
  .object({
    kind: z.enum(['slash', 'thread']),
    teamId: z.string().min(1),
    channelId: z.string().min(1),
    userId: z.string().min(1),
    threadTs: z.string().min(1).optional(),
    responseUrl: z.string().min(1).optional(),
    placeholder: z.boolean(),
    inline: z.boolean().optional(),
  })
  .refine((a) => a.kind !== 'thread' || a.threadTs !== undefined, { message: 'a thread address needs its threadTs', path: ['threadTs'] });

/** How a Slack address crosses the queue; version 1 is the shape above. */
export const slackAddressCodec = createJobAddressCodec({ platform: 'slack', version: 1, schema: slackAddressShape });

/** A `response_url` post: private to the requester, or for everyone when Hive may not post in the channel. */
export type ResponseUrlPost = (type: 'ephemeral' | 'in_channel', m: SlackMessage) => Promise<void>;

/** The responder of one answer, the same for intake and for a worker; a reply's image is shared after its text. */
export function slackResponder(
  deps: SlackDeps,
  client: webApi.WebClient,
  a: SlackJobAddress,
  request: { command: string; text: string; files?: readonly AttachmentRef[] | undefined },
  viaUrl: ResponseUrlPost | undefined,
  recorded?: PostRecord,
): Responder {
  const threadTs = a.kind === 'thread' && !a.inline ? a.threadTs : undefined;
  const image = { client, channelId: a.channelId, userId: a.userId, threadTs, log: deps.log };
  return withReplyImage(textResponder(deps, client, a, request, viaUrl, recorded), image);
}

function textResponder(
  deps: SlackDeps,
  client: webApi.WebClient,
  a: SlackJobAddress,
  /** What was asked, and the files it was asked with (kept with the thread's transcript for follow-ups). */
  request: { command: string; text: string; files?: readonly AttachmentRef[] | undefined },
  viaUrl: ResponseUrlPost | undefined,
  recorded?: PostRecord,
): Responder {
  const { text, files } = request;
  const traits = deps.host.commands.find(request.command);
  const common = { client, channel: a.channelId, userId: a.userId, placeholder: a.placeholder, ...(recorded ? { recorded } : {}) };
  if (a.kind === 'thread') {
    const ref = { scope: a.teamId, channelId: a.channelId, threadId: a.threadTs! };
    const where = { teamId: a.teamId, channel: a.channelId, threadTs: a.threadTs! };
    return createResponder(deps, {
      ...common,
      ...(a.inline ? { status: createAssistantStatus(deps, client, where) } : { threadTs: a.threadTs!, stream: threadStream(a) }),
      render: { askerId: a.userId, echoQuestion: false },
      ephemeral: async (m) => {
        const thread = a.inline ? {} : { thread_ts: a.threadTs! };
        await client.chat.postEphemeral({ channel: a.channelId, user: a.userId, ...thread, text: m.text, blocks: m.blocks });
      },
      onPosted: (_ts, reply) => recordExchange(deps, ref, traits, text, reply, files),
    });
  }
  return createResponder(deps, {
    ...common,
    // A stream replies in a thread: a slash command's streams under its placeholder, posted first.
    stream: streamFor(a),
    // Only a question is echoed as asked; another verb's words ("now") read oddly under a mention.
    ...(traits?.conversational ? { question: text } : {}),
    render: { askerId: a.userId, echoQuestion: true },
    ephemeral: (m) => (viaUrl ? viaUrl('ephemeral', m) : Promise.resolve()),
    fallbackPublic: async (msgs) => {
      for (const m of msgs) await viaUrl?.('in_channel', m);
    },
    onPosted: (ts, reply) => recordExchange(deps, { scope: a.teamId, channelId: a.channelId, threadId: ts }, traits, text, reply, files),
  });
}
