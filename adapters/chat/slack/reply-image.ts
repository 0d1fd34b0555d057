import type { webApi } from '@slack/bolt';
import type { Reply, ReplyImage } from '../../../src/chat/invocation.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { Responder } from './responder.ts';
import { slackErrorCode } from './slack-error.ts';

/** Where a reply's image is shared: the reply's conversation, or for a private reply the asker's DM with Hive. */
export interface ReplyImageTarget {
  client: webApi.WebClient;
  channelId: string;
  userId: string;
  /** The thread a channel reply is in (thread answers); absent at the top level. */
  threadTs?: string | undefined;
  log: Logger;
}

/**
 * A responder that, once the reply's text is delivered, shares the reply's image (a chart) as a
 * file. Slack attaches no file to an ephemeral message, so a private reply's image goes to the
 * asker's DM with Hive, where only they see it; a channel reply's goes beside it. The image is
 * extra: drawing or uploading it may fail, and the text already sent stands.
 */
export function withReplyImage(r: Responder, t: ReplyImageTarget): Responder {
  return {
    ...r,
    async respond(reply) {
      await r.respond(reply);
      if (reply.image) await shareImage(t, reply.visibility, reply.image);
    },
  };
}

/** Slack's external upload (`files.getUploadURLExternal`, the bytes, `files.completeUploadExternal`), as the WebClient runs it. */
async function shareImage(t: ReplyImageTarget, visibility: Reply['visibility'], image: ReplyImage): Promise<void> {
  try {
    const png = await image.png();
    const where = visibility === 'private' ? { channel_id: await directMessage(t) } : inConversation(t);
    await t.client.files.uploadV2({
      ...where,
      file: Buffer.from(png),
      filename: image.name,
      title: image.alt,
      alt_text: image.alt,
    });
  } catch (err) {
    const code = slackErrorCode(err);
    const hint = code === 'missing_scope' ? ': reinstall the app to grant files:write and im:write' : '';
    t.log.error({ err, code, image: image.name }, `could not share a reply's image on Slack (its text was sent)${hint}`);
  }
}

/** The asker's DM with Hive (`conversations.open` opens it, or names the one there is). */
async function directMessage(t: ReplyImageTarget): Promise<string> {
  const opened = await t.client.conversations.open({ users: t.userId });
  const id = opened.channel?.id;
  if (!id) throw new Error('conversations.open named no channel');
  return id;
}

/** A channel reply's conversation, in its thread when it has one. */
function inConversation(t: ReplyImageTarget): { channel_id: string } | { channel_id: string; thread_ts: string } {
  return t.threadTs ? { channel_id: t.channelId, thread_ts: t.threadTs } : { channel_id: t.channelId };
}
