import { AttachmentReadError, type AttachmentReader, type AttachmentRef } from '../../../src/shared/attachment.ts';
import { downloadFromCdn, onCdn, type DownloadDeadline } from './file-download.ts';

/** Discord's CDN hosts, where attachments are served (signed URLs, no token). */
export const DISCORD_CDN_ORIGINS = ['https://cdn.discordapp.com', 'https://media.discordapp.net'] as const;

/** An attachment as discord.js describes it (a message's, or a slash command option's resolved one). */
export interface DiscordAttachmentLike {
  id: string;
  name: string;
  contentType: string | null;
  size: number;
  url: string;
}

/**
 * Attachments as the core's refs: the CDN URL Discord gave with the attachment (never one from
 * message text) kept in `source` for reading later, by this process or a worker.
 */
export function discordFileRefs(list: Iterable<DiscordAttachmentLike>, o: { earlier?: boolean; link?: string } = {}): AttachmentRef[] {
  return [...list].map((a) => ({
    id: a.id,
    name: a.name,
    ...(a.contentType ? { declaredType: a.contentType } : {}),
    size: a.size,
    ...(o.link ? { link: o.link } : {}),
    ...(o.earlier ? { earlier: true } : {}),
    source: { discordUrl: a.url },
  }));
}

/** Where people open a message: `https://discord.com/channels/<guild>/<channel>/<message>`. */
export const messageLink = (guildId: string, channelId: string, messageId: string) => `https://discord.com/channels/${guildId}/${channelId}/${messageId}`;

/**
 * Reads attachments from Discord's CDN only (`DISCORD_CDN_URL` for proxies and tests), capped as
 * asked, each download within `deadline` (default: `DOWNLOAD_TIMEOUT_MS` on the system clock).
 */
export function createDiscordFileReader(cdnOrigins: readonly string[], deadline?: DownloadDeadline): AttachmentReader {
  return async (ref, o) => {
    const url = ref.source?.discordUrl;
    if (typeof url !== 'string') throw new AttachmentReadError('not_found', ref.name, 'not a Discord attachment');
    if (!onCdn(url, cdnOrigins)) throw new AttachmentReadError('forbidden', ref.name, 'not on Discord’s CDN');
    if (ref.size !== undefined && ref.size > o.maxBytes) throw new AttachmentReadError('too_large', ref.name, `over ${o.maxBytes} bytes`);
    return downloadFromCdn(url, cdnOrigins, ref.name, o, deadline);
  };
}
