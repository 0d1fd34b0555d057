import { describe, expect, it } from 'vitest';
import { fileEvidence, fileSummary } from '../../src/files/file-summary.ts';
import { DEFAULT_FILE_LIMITS } from '../../src/files/prepared-file.ts';
import { readFiles } from '../../src/files/read-files.ts';
import { pdf, png, utf8 } from './file-bytes.ts';
import { fakeHost, ref } from './file-reader.ts';

describe('fileSummary and fileEvidence', () => {
  it('GIVEN files THEN the footer counts them, with pages over the PDFs', async () => {
    const bytes = { 'a.pdf': await pdf(9), 'b.pdf': await pdf(5), 'c.png': png(2, 2), 'd.log': utf8('ok\n') };
    const files = await readFiles(
      Object.keys(bytes).map((id) => ref(id)),
      fakeHost(bytes).read,
      DEFAULT_FILE_LIMITS,
    );
    expect(fileSummary([])).toBe('');
    expect(fileSummary(files.slice(2, 3))).toBe('1 file');
    expect(fileSummary(files.slice(2))).toBe('2 files');
    expect(fileSummary(files.slice(0, 2))).toBe('2 files, 14 pages');
    expect(fileSummary(files)).toBe('4 files, 14 pages');
  });

  it('GIVEN files THEN the evidence keeps name, type, size, hash and pages, never the content', async () => {
    const bytes = { 'spec.pdf': await pdf(2, 'secret plan'), 'notes.txt': utf8('the content\n') };
    const files = await readFiles([ref('spec.pdf'), ref('notes.txt')], fakeHost(bytes).read, DEFAULT_FILE_LIMITS);
    const evidence = fileEvidence(files);
    expect(evidence).toEqual([
      { name: 'spec.pdf', mediaType: 'application/pdf', bytes: bytes['spec.pdf'].byteLength, sha256: files[0]!.sha256, pages: 2 },
      { name: 'notes.txt', mediaType: 'text/plain', bytes: 12, sha256: files[1]!.sha256 },
    ]);
    expect(JSON.stringify(evidence)).not.toMatch(/secret plan|the content/);
  });
});
