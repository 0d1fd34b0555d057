import type { PreparedFile } from './prepared-file.ts';

/** What the evidence record keeps of a file: enough to recognise it again, never its content. */
export interface FileEvidence {
  name: string;
  mediaType: string;
  bytes: number;
  sha256: string;
  pages?: number;
}

/** The footer's count: `1 file`, `2 files, 14 pages` (pages over the PDFs); '' for none. */
export function fileSummary(files: readonly PreparedFile[]): string {
  if (files.length === 0) return '';
  const count = files.length === 1 ? '1 file' : `${files.length} files`;
  const pdfs = files.filter((f) => f.kind === 'pdf');
  if (pdfs.length === 0) return count;
  const pages = pdfs.reduce((n, f) => n + (f.pages ?? 0), 0);
  return `${count}, ${pages === 1 ? '1 page' : `${pages} pages`}`;
}

/** Each file as the books keep it: name, type read from the bytes, size, SHA-256, pages. */
export function fileEvidence(files: readonly PreparedFile[]): FileEvidence[] {
  return files.map((f) => ({
    name: f.name,
    mediaType: f.mediaType,
    bytes: f.bytes,
    sha256: f.sha256,
    ...(f.pages !== undefined ? { pages: f.pages } : {}),
  }));
}
