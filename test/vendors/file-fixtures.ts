import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { ModelFile } from '../../src/shared/provider-spec.ts';

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A real RGB PNG of `width`×`height` with a deterministic gradient, so its bytes and hash are stable. */
export function makePng(width: number, height: number): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([(x * 7) & 255, (y * 13) & 255, (x * y) & 255], y * (width * 3 + 1) + 1 + x * 3);
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, pngChunk('IHDR', header), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

const marker = (code: number, body: number[]) => [0xff, code, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];

/**
 * A real baseline JPEG of a mid-grey `width`×`height` image (multiples of 8): every 8×8 block has a
 * zero DC difference and an end-of-block, each a one-bit Huffman code.
 */
export function makeJpeg(width: number, height: number): Uint8Array {
  const blocks = (width / 8) * (height / 8);
  const scan: number[] = [];
  for (let bits = 2 * blocks; bits > 0; bits -= 8) scan.push(bits >= 8 ? 0x00 : 0xff >> bits);
  const oneCode = (tableClass: number) => marker(0xc4, [tableClass, 1, ...new Array<number>(15).fill(0), 0]);
  return Uint8Array.from([
    0xff,
    0xd8,
    ...marker(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...marker(0xc0, [8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]),
    ...oneCode(0x00),
    ...oneCode(0x10),
    ...marker(0xda, [1, 1, 0, 0, 63, 0]),
    ...scan,
    0xff,
    0xd9,
  ]);
}

/** A real PDF of `pages` pages, each with its number in text (pdf-lib, fixed dates so the bytes are stable). */
export async function makePdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([612, 792]).drawText(`Page ${i} of the spec`, { x: 72, y: 700, size: 18, font });
  const at = new Date('2026-01-01T00:00:00Z');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  return doc.save({ useObjectStreams: false });
}

/** Hex SHA-256, as the fakes record each block. */
export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The three files every vendor suite sends: a PNG, a JPEG and a 3-page PDF. */
export async function sampleFiles(): Promise<{ png: ModelFile; jpeg: ModelFile; pdf: ModelFile }> {
  return {
    png: { kind: 'image', mediaType: 'image/png', name: 'screenshot.png', data: makePng(40, 30) },
    jpeg: { kind: 'image', mediaType: 'image/jpeg', name: 'photo.jpg', data: makeJpeg(32, 16) },
    pdf: { kind: 'pdf', mediaType: 'application/pdf', name: 'spec.pdf', data: await makePdf(3) },
  };
}
