import { MessageFlags, Routes, type REST } from 'discord.js';
import type { Reply } from '../../../src/chat/invocation.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { NO_MENTIONS } from './conventions.ts';

/** The interaction a reply answers, as its webhook routes address it. */
export interface ImageInteraction {
  applicationId: string;
  token: string;
}

/**
 * Sends a reply's image (a chart) as a follow-up of its interaction, once the text is delivered:
 * a PNG attachment (multipart `files[0]`, its alt text as the attachment's description), private
 * when the reply is. The image is extra: drawing or sending it may fail, and the text stands.
 */
export async function sendReplyImage(rest: REST, i: ImageInteraction, reply: Reply, log: Logger): Promise<void> {
  const image = reply.image;
  if (!image) return;
  try {
    const png = await image.png();
    await rest.post(Routes.webhook(i.applicationId, i.token), {
      body: {
        attachments: [{ id: 0, filename: image.name, description: image.alt.slice(0, 1024) }],
        allowed_mentions: NO_MENTIONS,
        ...(reply.visibility === 'private' ? { flags: MessageFlags.Ephemeral } : {}),
      },
      files: [{ name: image.name, data: Buffer.from(png), contentType: 'image/png' }],
      auth: false,
    });
  } catch (err) {
    log.error({ err, image: image.name }, "could not send a reply's image on Discord (its text was sent)");
  }
}
