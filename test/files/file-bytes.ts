import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Real bytes of each kind of file people share, made here so no binary fixture sits in the repository. */

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A valid RGB PNG of the given size (a grey image). */
export function png(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height, 0x80);
  for (let y = 0; y < height; y++) rows[y * (width * 3 + 1)] = 0;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', new Uint8Array())]));
}

/** A baseline JPEG's headers (SOI, JFIF APP0, SOF0 with the size, EOI): enough for the type and the size. */
export function jpeg(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];
  const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return new Uint8Array([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xd9]);
}

/** A GIF89a header with the size and an empty trailer. */
export function gif(width: number, height: number): Uint8Array {
  return new Uint8Array([...Buffer.from('GIF89a', 'latin1'), width & 0xff, width >> 8, height & 0xff, height >> 8, 0, 0, 0, 0x3b]);
}

/** A lossless WebP (VP8L) header with the size. */
export function webp(width: number, height: number): Uint8Array {
  const bits = (width - 1) | ((height - 1) << 14);
  const vp8l = [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >> 24) & 0xff, 0, 0, 0];
  const body = [...Buffer.from('WEBPVP8L', 'latin1'), vp8l.length, 0, 0, 0, ...vp8l];
  const size = body.length;
  return new Uint8Array([...Buffer.from('RIFF', 'latin1'), size & 0xff, (size >> 8) & 0xff, 0, 0, ...body]);
}

/** A real PDF of `pages` pages, each saying which page it is (and `extra` on the first). */
export async function pdf(pages: number, extra = ''): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([300, 300]).drawText(`Page ${i} of the spec${i === 1 ? ` ${extra}` : ''}`, { x: 10, y: 150, font, size: 10 });
  return doc.save();
}

/** A PDF whose trailer names an encryption dictionary, as an encrypted PDF's does. */
export async function encryptedPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.addPage([300, 300]);
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  const text = bytes.toString('latin1').replace('trailer\n<<', 'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /P -4 >>');
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** The first bytes of a zip archive (a local file header). */
export const ZIP = new Uint8Array([
  0x50,
  0x4b,
  0x03,
  0x04,
  0x14,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  ...Array<number>(40).fill(0),
]);

/** The first bytes of a 64-bit Linux executable (an ELF header). */
export const ELF = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array<number>(56).fill(0)]);

/** A gzip stream of some text. */
export const GZIP = new Uint8Array(Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, ...Array<number>(20).fill(0)]));

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A zip of stored (uncompressed) entries, enough for readers that look inside (an Office document's parts). */
export function storedZip(entries: Record<string, string>): Uint8Array {
  const parts: Buffer[] = [];
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text, 'utf8');
    const head = Buffer.alloc(30);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt32LE(crc32(data) >>> 0, 14);
    head.writeUInt32LE(data.length, 18);
    head.writeUInt32LE(data.length, 22);
    head.writeUInt16LE(Buffer.byteLength(name), 26);
    parts.push(head, Buffer.from(name, 'utf8'), data);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** The parts that make a zip a Word document. */
export function docx(): Uint8Array {
  return storedZip({
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    'word/document.xml': '<w:document/>',
  });
}
