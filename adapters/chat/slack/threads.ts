import type { App, webApi } from '@slack/bolt';
import { createThreadContext, withEarlierFiles, type ThreadContext } from '../../../src/chat/thread-context.ts';
import { isTeamId } from './body-shape.ts';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { buildInvocation } from './invocation.ts';
import { slackAddressCodec, slackResponder, type SlackJobAddress } from './job-address.ts';
import { slackToPlain } from './slack-text.ts';
import { slackFileRefs } from './files.ts';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';

/** One human message Hive answers in a thread. */
interface Turn {
  teamId: string;
  channelId: string;
  userId: string;
  threadTs: string;
  text: string;
  /** Files shared with this message. */
  files: AttachmentRef[];
  /** A DM question: answered inline, not in a thread under it. */
  inline?: boolean;
}

/** What answering a turn uses: the adapter's dependencies, the thread context, the event's client. */
interface TurnDeps {
  deps: SlackDeps;
  threads: ThreadContext;
  client: webApi.WebClient;
}

/** What decides whether a message is for Hive; shared by mentions and thread messages. */
interface Author {
  user?: string | undefined;
  bot_id?: string | undefined;
}

/**
 * Mentions start an answer in a thread; later human messages in a thread where Hive answered (and
 * direct messages) continue it, with the thread's transcript as context. Slack supplies no history
 * of its own (`conversations.replies` allows a read a minute outside the Marketplace): the core's
 * thread context reads the transcripts, and a thread without one is not Hive's.
 */
export function registerThreads(app: App, deps: SlackDeps): void {
  const threads = createThreadContext({ transcripts: deps.transcripts });
  app.event('app_mention', async ({ event, body, client, context }) => {
    if (!isForHive(deps, event, context.botUserId, context.botId) || !event.user) return;
    const teamId = teamOf(deps, context.teamId, event.team);
    if (!teamId) return;
    const text = slackToPlain(event.text, context.botUserId);
    await startTurn(
      { deps, threads, client },
      { teamId, channelId: event.channel, userId: event.user, threadTs: event.thread_ts ?? event.ts, text, files: slackFileRefs(event.files) },
      true,
      body.event_id,
    );
  });
  app.message(async ({ message, body, client, context }) => {
    // A message with files is a `file_share`: still a person asking.
    if ((message.subtype !== undefined && message.subtype !== 'file_share') || !message.user) return;
    if (!isForHive(deps, message, context.botUserId, context.botId)) return;
    const im = message.channel_type === 'im';
    const raw = message.text ?? '';
    // A mention in a channel also arrives as app_mention; answer it once, there.
    if (!im && context.botUserId && raw.includes(`<@${context.botUserId}`)) return;
    if (!im && !message.thread_ts) return;
    const teamId = teamOf(deps, context.teamId, 'team' in message && typeof message.team === 'string' ? message.team : undefined);
    if (!teamId) return;
    // A workspace may want Hive to answer in threads only when mentioned (`/hive threads mentions`).
    if (!im && (await deps.host.threadReplies(workspaceIdFor(teamId), message.channel)) === 'mentions') return;
    const turn = {
      teamId,
      channelId: message.channel,
      userId: message.user,
      threadTs: message.thread_ts ?? message.ts,
      text: slackToPlain(raw, context.botUserId),
      files: slackFileRefs(message.files),
      ...(im && !message.thread_ts ? { inline: true } : {}),
    };
    await startTurn({ deps, threads, client }, turn, im, body.event_id);
  });
}

/** The team the message belongs to; none (or a malformed one) is logged and the message left alone. */
function teamOf(deps: SlackDeps, fromContext: string | undefined, fromEvent: string | undefined): string | undefined {
  const teamId = fromContext ?? fromEvent;
  if (isTeamId(teamId)) return teamId;
  deps.log.warn('Slack message without a team id ignored');
  return undefined;
}

function isForHive(deps: SlackDeps, m: Author, botUserId: string | undefined, botId: string | undefined): boolean {
  if (m.user !== undefined && m.user === botUserId) return false;
  if (m.bot_id !== undefined && (m.bot_id === botId || !deps.answerBots)) return false;
  return true;
}

/** Answers one turn; a follow-up in a thread Hive has not answered in is left alone. */
async function startTurn(on: TurnDeps, t: Turn, canStart: boolean, eventId: string | undefined): Promise<void> {
  const { deps, client } = on;
  const context = await on.threads.forThread({ scope: t.teamId, channelId: t.channelId, threadId: t.threadTs });
  if (!context && !canStart) return;
  const address: SlackJobAddress = {
    kind: 'thread',
    teamId: t.teamId,
    channelId: t.channelId,
    userId: t.userId,
    threadTs: t.threadTs,
    placeholder: true,
    ...(t.inline ? { inline: true } : {}),
  };
  // The thread's earlier answered turns kept the files they were asked with: a follow-up sees them again.
  const ref = { scope: t.teamId, channelId: t.channelId, threadId: t.threadTs };
  const files = context ? withEarlierFiles(t.files, await on.threads.filesFor(ref)) : t.files;
  const responder = slackResponder(deps, client, address, { command: 'ask', text: t.text, files }, undefined);
  const queue = () => {
    responder.standDown();
    return { id: `slack:event:${eventId}`, ...slackAddressCodec.encode(address) };
  };
  const inv = buildInvocation({
    teamId: t.teamId,
    channelId: t.channelId,
    userId: t.userId,
    threadTs: t.threadTs,
    command: 'ask',
    text: t.text,
    ...(context ? { context } : {}),
    attachments: files,
    readAttachment: deps.files.reader(workspaceIdFor(t.teamId)),
    responder,
    isAdmin: () => deps.admin.isAdmin(client, t.teamId, t.userId),
    ...(eventId ? { queue } : {}),
  });
  void deps.host.dispatcher.handle(inv);
}
