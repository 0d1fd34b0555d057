import type { FileCapability } from '../models/file-capabilities.ts';
import type { PreparedFile } from './prepared-file.ts';
import { formatBytes } from './file-words.ts';

/** How one file reaches one model: as the vendor's native block, as text, or not at all (and why). */
export type Delivery = { as: 'native' } | { as: 'text'; why?: string } | { as: 'none'; why: string };

/**
 * Chooses, file by file in order, what a model with `cap` receives: images and PDFs natively while
 * the model takes them and they fit its limits (per file, and PDF pages and bytes over the request);
 * a PDF beyond them goes as its extracted text; an image beyond them cannot go at all.
 */
export function chooseDeliveries(files: readonly PreparedFile[], cap: FileCapability): Delivery[] {
  const used = { files: 0, pdfPages: 0, pdfBytes: 0 };
  return files.map((f): Delivery => {
    if (f.kind === 'text') return { as: 'text' };
    const why = f.kind === 'image' ? imageMisfit(f, cap, used.files) : pdfMisfit(f, cap, used);
    if (why === undefined) {
      used.files++;
      if (f.kind === 'pdf') [used.pdfPages, used.pdfBytes] = [used.pdfPages + (f.pages ?? 0), used.pdfBytes + f.bytes];
      return { as: 'native' };
    }
    if (f.kind === 'image') return { as: 'none', why };
    return f.text ? { as: 'text', why } : { as: 'none', why: `${why}, and it has no text to send instead (it may be scanned)` };
  });
}

function imageMisfit(f: PreparedFile, cap: FileCapability, usedFiles: number): string | undefined {
  if (!cap.images || !f.data) return 'this model does not read images';
  if (f.bytes > cap.maxImageBytes) return `it is over this model's ${formatBytes(cap.maxImageBytes)} image limit`;
  if (usedFiles >= cap.maxFiles) return `this model takes at most ${cap.maxFiles} files a request`;
  return undefined;
}

function pdfMisfit(f: PreparedFile, cap: FileCapability, used: { files: number; pdfPages: number; pdfBytes: number }): string | undefined {
  if (!cap.pdfs || !f.data) return 'this model does not read PDFs';
  if (used.pdfBytes + f.bytes > cap.maxPdfBytes) return `it is over this model's ${formatBytes(cap.maxPdfBytes)} PDF limit`;
  if (used.pdfPages + (f.pages ?? 0) > cap.maxPdfPages) return `it is over this model's ${cap.maxPdfPages}-page PDF limit`;
  if (used.files >= cap.maxFiles) return `this model takes at most ${cap.maxFiles} files a request`;
  return undefined;
}
