import { createHash, randomUUID } from 'node:crypto';
import { Routes, type APIMessage, type REST } from 'discord.js';
import type { MessageRef, MessageTarget } from '../../../src/chat/chat-adapter.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { messageBody, type OutMessage } from './message-body.ts';
import { createPostLog, type PostLog } from './post-log.ts';
import { renderDiscordMessages } from './render.ts';

/**
 * A message's nonce (at most 25 characters) from its job and part: Discord drops a second message
 * with the same nonce within minutes, so a job run again, by this process or another, cannot post a part twice.
 */
export const nonceFor = (jobId: string, part: string) => createHash('sha256').update(`${jobId}\n${part}`).digest().readBigUInt64BE().toString();

/** How a job's parts are posted: its id (for nonces) and the record of what it posted. */
export interface PartsOptions {
  jobId: string;
  log: PostLog;
  echoQuestion?: boolean;
}

/** Posts a reply into a thread or channel over REST, each part once (an enforced nonce, and the job's post log). */
export async function postParts(rest: REST, channelId: string, reply: Reply, o: PartsOptions): Promise<string[]> {
  return postMessages(rest, channelId, renderDiscordMessages(reply, o), { ...o, from: 0 });
}

/** Posts messages as parts `c<from>`, `c<from+1>`…: each once, a part an earlier run posted edited instead. */
export async function postMessages(rest: REST, channelId: string, messages: OutMessage[], o: { jobId: string; log: PostLog; from: number }): Promise<string[]> {
  const ids: string[] = [];
  for (const [k, m] of messages.entries()) {
    const part = `c${o.from + k}`;
    const body = { ...messageBody(m), nonce: nonceFor(o.jobId, part), enforce_nonce: true };
    const create = async () => ((await rest.post(Routes.channelMessages(channelId), { body })) as APIMessage).id;
    ids.push(await o.log.put(part, create, (id) => editMessage(rest, channelId, id, m)));
  }
  return ids;
}

/** Replaces a message, mentions off again (an edit re-parses them otherwise). */
export const editMessage = (rest: REST, channelId: string, messageId: string, m: OutMessage) =>
  rest.patch(Routes.channelMessage(channelId, messageId), { body: messageBody(m, { edit: true }) });

/** Posts without a request (a digest): into the target's thread or channel. */
export async function postReply(rest: REST, target: MessageTarget, reply: Reply): Promise<MessageRef> {
  const [first] = await postParts(rest, target.threadId ?? target.channelId, reply, { jobId: randomUUID(), log: createPostLog() });
  return { workspaceId: target.workspaceId, channelId: target.channelId, messageId: first ?? '', ...(target.threadId ? { threadId: target.threadId } : {}) };
}

/** Replaces a message `postReply` posted with a new rendering (its first part). */
export async function editReply(rest: REST, ref: MessageRef, reply: Reply): Promise<void> {
  await editMessage(rest, ref.threadId ?? ref.channelId, ref.messageId, renderDiscordMessages(reply)[0]!);
}
