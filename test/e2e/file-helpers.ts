import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Invocation, Reply } from '../../src/chat/invocation.ts';
import type { Dispatcher } from '../../src/chat/dispatcher.ts';
import { AttachmentReadError, type AttachmentReader, type AttachmentRef } from '../../src/shared/attachment.ts';
import type { Hive } from '../../src/app/hive.ts';
import type { FakeRequest } from '../fakes/fake-vendor.ts';

/** A file a test shares: its name and bytes, as a platform would hold them. */
export interface SharedFile {
  name: string;
  bytes: Uint8Array;
  declaredType?: string;
}

/** A 1×1 PNG with a text chunk carrying `marker`, so a test can look for its bytes anywhere they must not be. */
export function pngWith(marker: string): Uint8Array {
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
  const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0${marker}`, 'latin1')]);
  const chunk = Buffer.concat([u32(body.length - 4), body, u32(crc32(body))]);
  // After the signature (8 bytes) and the IHDR chunk (25 bytes).
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]));
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** A real PDF of `pages` pages, each with a line of text carrying `marker`. */
export async function pdfWith(pages: number, marker: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([300, 200]).drawText(`Page ${i} ${marker}`, { x: 20, y: 100, size: 12, font });
  return doc.save();
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The files as a platform describes them, and a reader over them in memory; `reads` counts each file read. */
export function sharedFiles(files: readonly SharedFile[], o: { failing?: string[] } = {}) {
  const reads = new Map<string, number>();
  const refs: AttachmentRef[] = files.map((f, i) => ({
    id: `F${i + 1}`,
    name: f.name,
    size: f.bytes.length,
    ...(f.declaredType ? { declaredType: f.declaredType } : {}),
    link: `https://files.test/F${i + 1}`,
  }));
  const read: AttachmentReader = async (ref, opts) => {
    reads.set(ref.id, (reads.get(ref.id) ?? 0) + 1);
    const f = files[Number(ref.id.slice(1)) - 1];
    if (!f || o.failing?.includes(f.name)) throw new AttachmentReadError('download_failed', ref.name);
    if (f.bytes.length > opts.maxBytes) throw new AttachmentReadError('too_large', ref.name);
    return f.bytes;
  };
  return { refs, read, reads };
}

/** One chat line with files, as a platform would hand it to the core; resolves with its reply. */
export function runWithFiles(
  target: Hive | Dispatcher,
  line: string,
  files: { refs: AttachmentRef[]; read?: AttachmentReader },
  more: Partial<Invocation> = {},
): Promise<Reply> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line.trim());
  const dispatcher = 'dispatcher' in target ? target.dispatcher : target;
  return new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      platform: 'test',
      workspaceId: 'local',
      channelId: 'C-test',
      userId: 'U-test',
      command: m ? m[1]! : 'ask',
      text: m ? m[2]! : line,
      attachments: files.refs,
      ...(files.read ? { readAttachment: files.read } : {}),
      isAdmin: async () => true,
      respond: async (r) => resolve(r),
      ...more,
    };
    void dispatcher.handle(inv);
  });
}

/** The model calls a fake vendor answered (not key checks or model lists). */
export const generateCalls = (requests: readonly FakeRequest[]) => requests.filter((r) => r.model !== '');

/** The evidence id a footer names. */
export const evidenceIdOf = (footer: string | undefined) => /evidence (\w{26})/.exec(footer ?? '')![1]!;
