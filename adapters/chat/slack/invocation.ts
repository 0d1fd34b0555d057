import type { Invocation } from '../../../src/chat/invocation.ts';
import type { ChatMessage } from '../../../src/shared/provider-spec.ts';
import type { AttachmentReader, AttachmentRef } from '../../../src/shared/attachment.ts';
import { workspaceIdFor } from './deps.ts';
import type { Responder } from './responder.ts';
import { isSlackUserId, SLACK_WORDS } from './conventions.ts';
import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';

/** The Slack facts an invocation is built from, whatever delivered them (slash command, mention, thread). */
export interface SlackInvocationParts {
  teamId: string;
  channelId: string;
  userId: string;
  threadTs?: string;
  command: string;
  text: string;
  context?: ChatMessage[];
  /** Files shared with the request (and earlier in its thread), read with `readAttachment`. */
  attachments?: AttachmentRef[];
  readAttachment?: AttachmentReader;
  responder: Responder;
  isAdmin(): Promise<boolean>;
  canRead?: Invocation['canRead'];
  usersNamed?(name: string): Promise<string[]>;
  openKeyForm?(): Promise<void>;
  queue?: Invocation['queue'];
}

/** Builds the neutral Invocation the dispatcher runs; workspace ids are `slack:<team_id>`. */
export function buildInvocation(p: SlackInvocationParts): Invocation {
  return {
    platform: 'slack',
    words: SLACK_WORDS,
    workspaceId: workspaceIdFor(p.teamId),
    channelId: p.channelId,
    userId: p.userId,
    ...(p.threadTs ? { threadId: p.threadTs } : {}),
    command: p.command,
    text: p.text,
    ...(p.context && p.context.length > 0 ? { context: p.context } : {}),
    // The reader comes with every request, so a re-run pressed here can read its answer's files again.
    ...(p.readAttachment ? { readAttachment: p.readAttachment, ...(p.attachments?.length ? { attachments: p.attachments } : {}) } : {}),
    isAdmin: p.isAdmin,
    ...(p.canRead ? { canRead: p.canRead } : {}),
    ...(p.usersNamed ? { usersNamed: p.usersNamed } : {}),
    isUserId: isSlackUserId,
    actions: ACTION_KINDS,
    respond: (reply) => p.responder.respond(reply),
    progress: (note) => p.responder.progress(note),
    onText: (delta) => p.responder.onText(delta),
    ...(p.openKeyForm ? { openKeyForm: p.openKeyForm } : {}),
    ...(p.queue ? { queue: p.queue } : {}),
  };
}
