import { randomBytes } from 'node:crypto';
import type { Message, MessageCreateOptions } from 'discord.js';
import type { Reply } from '../../../src/chat/invocation.ts';
import { NO_MENTIONS } from './conventions.ts';
import { renderDiscordReply } from './render.ts';

/** Posts a reply into a thread or channel, each part with a nonce Discord enforces, so a retried send cannot post twice. */
export async function sendParts(
  channel: { send(o: MessageCreateOptions): Promise<Message> },
  reply: Reply,
  o: { echoQuestion?: boolean } = {},
): Promise<Message[]> {
  const sent: Message[] = [];
  for (const content of renderDiscordReply(reply, o))
    sent.push(await channel.send({ content, allowedMentions: NO_MENTIONS, nonce: nonce(), enforceNonce: true }));
  return sent;
}

/** A send's nonce: up to 25 characters; Discord drops a second message with the same one within minutes. */
const nonce = () => randomBytes(8).readBigUInt64BE().toString();
