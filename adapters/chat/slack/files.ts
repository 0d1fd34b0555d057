import type { webApi } from '@slack/bolt';
import { AttachmentReadError, type AttachmentReader, type AttachmentRef } from '../../../src/shared/attachment.ts';
import { isRecord } from './body-parse.ts';
import { downloadSlackFile, type DownloadDeadline } from './file-download.ts';
import { slackErrorCode } from './slack-error.ts';

/** Slack's file ids: `F` and upper-case letters and digits. */
const FILE_ID = /^F[A-Z0-9]{2,}$/;

/**
 * The files of a Slack message or `files.list` answer as attachments: name, declared type, size and
 * permalink as Slack describes them, and only the file id in `source` (the download URL is asked of
 * `files.info` when the bytes are needed, so nothing in an event's payload is ever fetched).
 */
export function slackFileRefs(files: unknown, o: { earlier?: boolean } = {}): AttachmentRef[] {
  if (!Array.isArray(files)) return [];
  return files.flatMap((f: unknown): AttachmentRef[] => {
    if (!isRecord(f) || typeof f.id !== 'string' || !FILE_ID.test(f.id)) return [];
    // A file deleted or hidden from the bot is listed as a tombstone, or without a name.
    if (f.mode === 'tombstone' || f.mode === 'hidden_by_limit') return [];
    const name = typeof f.name === 'string' && f.name !== '' ? f.name : typeof f.title === 'string' ? f.title : f.id;
    return [
      {
        id: f.id,
        name,
        ...(typeof f.mimetype === 'string' && f.mimetype !== '' ? { declaredType: f.mimetype } : {}),
        ...(typeof f.size === 'number' && f.size >= 0 ? { size: f.size } : {}),
        ...(typeof f.permalink === 'string' && /^https?:\/\//.test(f.permalink) ? { link: f.permalink } : {}),
        ...(o.earlier ? { earlier: true } : {}),
        source: { slackFileId: f.id },
      },
    ];
  });
}

/** A workspace's bot token and a Web API client that sends it (in the header, never in a body). */
export interface SlackFileAuth {
  token: string;
  client: Pick<webApi.WebClient, 'files'>;
}

/** What reading a Slack file needs: the workspace's token and client, Slack's file host. */
export interface SlackFileReaderDeps {
  auth: () => Promise<SlackFileAuth>;
  /** `SLACK_FILES_URL`: the only origin downloads go to. */
  filesUrl: string;
  /** How long a download may take (default: `DOWNLOAD_TIMEOUT_MS` on the system clock). */
  deadline?: DownloadDeadline;
}

/**
 * Reads a file with one workspace's bot token: `files.info` for its current private download URL
 * (only ever Slack's answer, never a URL from a message), then the download on Slack's file host.
 */
export function createSlackFileReader(d: SlackFileReaderDeps): AttachmentReader {
  return async (ref, o) => {
    const fileId = ref.source?.slackFileId;
    if (typeof fileId !== 'string' || !FILE_ID.test(fileId)) throw new AttachmentReadError('not_found', ref.name, 'not a Slack file');
    const { token, client } = await d.auth();
    const file = await fileInfo(client, fileId, ref.name);
    if (typeof file.size === 'number' && file.size > o.maxBytes) throw new AttachmentReadError('too_large', ref.name, `over ${o.maxBytes} bytes`);
    const url = file.url_private_download ?? file.url_private;
    if (typeof url !== 'string') throw new AttachmentReadError('not_found', ref.name, 'Slack gives no download for this file');
    const download = { url, filesOrigin: d.filesUrl, token, name: ref.name, declaredType: file.mimetype };
    return downloadSlackFile({ ...download, ...(d.deadline ? { deadline: d.deadline } : {}) }, o);
  };
}

type SlackFileInfo = NonNullable<webApi.FilesInfoResponse['file']>;

/** `files.info`, its refusals as read failures: gone, not shared where the bot can see it, or Slack unreachable. */
async function fileInfo(client: SlackFileAuth['client'], file: string, name: string): Promise<SlackFileInfo> {
  try {
    const r = await client.files.info({ file });
    if (!r.file) throw new AttachmentReadError('not_found', name, 'Slack has no such file');
    return r.file;
  } catch (err) {
    if (err instanceof AttachmentReadError) throw err;
    const code = slackErrorCode(err);
    if (code === 'file_not_found' || code === 'file_deleted') throw new AttachmentReadError('not_found', name, 'Slack no longer has this file');
    if (code !== undefined && FORBIDDEN.has(code)) throw new AttachmentReadError('forbidden', name, `Slack refused: ${code}`);
    throw new AttachmentReadError('download_failed', name, code ? `Slack answered ${code}` : 'Slack could not be reached');
  }
}

/** `files.info` errors that mean Hive may not read the file (no scope, no access, a bad token). */
const FORBIDDEN = new Set(['missing_scope', 'not_authed', 'invalid_auth', 'account_inactive', 'token_revoked', 'access_denied', 'not_allowed_token_type']);
