import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readFiles } from '../../src/files/read-files.ts';
import { DEFAULT_FILE_LIMITS, type FileLimits } from '../../src/files/prepared-file.ts';
import { UserError } from '../../src/shared/errors.ts';
import { docx, ELF, encryptedPdf, gif, GZIP, jpeg, pdf, png, utf8, webp, ZIP } from './file-bytes.ts';
import { fakeHost, ref } from './file-reader.ts';

const MB = 1024 * 1024;
const limits: FileLimits = DEFAULT_FILE_LIMITS;

async function refusal(p: Promise<unknown>): Promise<UserError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

describe('readFiles: what a file is, from its bytes', () => {
  it('GIVEN PNG, JPEG, GIF and WebP images THEN each is an image with its size, its hash and its bytes', async () => {
    const bytes = { 'a.png': png(4, 3), 'b.jpg': jpeg(640, 480), 'c.gif': gif(10, 20), 'd.webp': webp(33, 44) };
    const host = fakeHost(bytes);
    const files = await readFiles(
      Object.keys(bytes).map((id) => ref(id)),
      host.read,
      limits,
    );
    expect(files.map((f) => [f.kind, f.mediaType, f.width, f.height])).toEqual([
      ['image', 'image/png', 4, 3],
      ['image', 'image/jpeg', 640, 480],
      ['image', 'image/gif', 10, 20],
      ['image', 'image/webp', 33, 44],
    ]);
    expect(files[0]!.sha256).toBe(createHash('sha256').update(bytes['a.png']).digest('hex'));
    expect(files[0]!.bytes).toBe(bytes['a.png'].byteLength);
    expect(files[0]!.data).toBe(bytes['a.png']);
  });

  it('GIVEN a 3-page PDF THEN it counts its pages and extracts their text', async () => {
    const host = fakeHost({ 'spec.pdf': await pdf(3, 'timeouts are 30s') });
    const [file] = await readFiles([ref('spec.pdf')], host.read, limits);
    expect(file).toMatchObject({ kind: 'pdf', mediaType: 'application/pdf', pages: 3, textPages: 3 });
    expect(file!.text).toContain('[page 1]\nPage 1 of the spec timeouts are 30s');
    expect(file!.text).toContain('[page 3]\nPage 3 of the spec');
    expect(file!.data?.byteLength).toBe(file!.bytes);
  });

  it('GIVEN text files THEN each is named by its content, whatever the name or the declared type says', async () => {
    const host = fakeHost({
      'photo.png': utf8('name,qty\nbolt,3\nnut,4\n'),
      'x.txt': utf8('{"ok": true, "items": [1, 2]}'),
      'notes.bin': utf8('# Runbook\n\nRestart the worker.\n'),
      'app.log': utf8('2026-01-02T10:00:00Z INFO start\n2026-01-02T10:00:01Z ERROR boom\n'),
      'image.txt': png(2, 2),
    });
    const files = await readFiles(
      ['photo.png', 'x.txt', 'notes.bin', 'app.log', 'image.txt'].map((id) => ref(id, { declaredType: 'application/octet-stream' })),
      host.read,
      limits,
    );
    expect(files.map((f) => [f.name, f.kind, f.mediaType])).toEqual([
      ['photo.png', 'text', 'text/csv'],
      ['x.txt', 'text', 'application/json'],
      ['notes.bin', 'text', 'text/markdown'],
      ['app.log', 'text', 'text/plain'],
      ['image.txt', 'image', 'image/png'],
    ]);
    expect(files[3]!.text).toContain('ERROR boom');
    expect(files[3]!.data).toBeUndefined();
  });

  it('GIVEN a 5 MB log THEN it is read whole as text', async () => {
    const line = '2026-01-02T10:00:00Z INFO request served in 12ms\n';
    const log = utf8(line.repeat(Math.ceil((5 * MB) / line.length)));
    const [file] = await readFiles([ref('big.log')], fakeHost({ 'big.log': log }).read, limits);
    expect(file).toMatchObject({ kind: 'text', mediaType: 'text/plain', bytes: log.byteLength });
    expect(file!.text!.length).toBe(log.byteLength);
  });

  it('GIVEN a file marked earlier in the thread THEN it stays marked', async () => {
    const [file] = await readFiles([ref('a.png', { earlier: true })], fakeHost({ 'a.png': png(1, 1) }).read, limits);
    expect(file!.earlier).toBe(true);
  });
});

describe('readFiles: refused types', () => {
  it.each([
    ['bundle.zip', ZIP, /bundle\.zip: it is an archive \(zip\).*one by one/],
    ['logs.txt.gz', GZIP, /logs\.txt\.gz: it is an archive \(gz\)/],
    ['tool', ELF, /tool: it is an executable or installer \(elf\); Hive never opens programs/],
    ['report.docx', docx(), /report\.docx: it is an Office document \(docx\), which is a zip archive inside\. Export it as PDF/],
    ['blob.txt', new Uint8Array([0x41, 0x00, 0x42, 0x43]), /blob\.txt: it is a binary file of a type Hive could not identify/],
    ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), /latin1\.txt: it is a binary file/],
  ])('GIVEN %s THEN it is refused with what it is and what to do', async (name, bytes, words) => {
    const err = await refusal(readFiles([ref(name)], fakeHost({ [name]: bytes }).read, limits));
    expect(err.code).toBe('file_refused');
    expect(err.message).toMatch(/^Hive could not use the files shared with this request, so nothing was sent to any model\./);
    expect(err.message).toMatch(words);
  });

  it('GIVEN an encrypted PDF or a broken one THEN each is refused as unreadable', async () => {
    const host = fakeHost({ 'locked.pdf': await encryptedPdf(), 'torn.pdf': utf8('%PDF-1.7\nthis is not really a pdf\n') });
    const err = await refusal(readFiles([ref('locked.pdf'), ref('torn.pdf')], host.read, limits));
    expect(err.message).toContain('locked.pdf: it is an encrypted PDF');
    expect(err.message).toContain('torn.pdf: it could not be read as a PDF (it may be damaged)');
  });
});
