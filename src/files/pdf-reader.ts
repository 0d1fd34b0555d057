import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** What a PDF holds for the books and for models that cannot read PDFs natively. */
export interface PdfContent {
  pages: number;
  /** The text of the first `textPages` pages, each under a `[page N]` line; empty for a scanned PDF. */
  text: string;
  textPages: number;
}

/** A PDF that cannot be opened: encrypted, password-protected or broken. `reason` is for the person who shared it. */
export class UnreadablePdf extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'UnreadablePdf';
  }
}

/** Pages whose text is extracted; a model that needs more of a long PDF should get it natively. */
export const MAX_TEXT_PAGES = 200;

/** Nothing is evaluated, fetched, rendered or decoded with wasm: the PDF is only parsed for its pages and text. */
const SAFE_OPTIONS = {
  isEvalSupported: false,
  useSystemFonts: false,
  useWorkerFetch: false,
  useWasm: false,
  disableFontFace: true,
  isOffscreenCanvasSupported: false,
  isImageDecoderSupported: false,
  enableXfa: false,
  stopAtErrors: true,
  verbosity: 0,
} as const;

/** The trailer's `/Encrypt` entry: even a PDF anyone may open is refused, since vendors reject encrypted ones. */
const ENCRYPT = /\/Encrypt[\s/\d<]/;

/** Counts pages and extracts text (up to `maxPages` pages); fails with `UnreadablePdf`. */
export async function readPdf(bytes: Uint8Array, o: { maxPages?: number; signal?: AbortSignal } = {}): Promise<PdfContent> {
  if (ENCRYPT.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'))) {
    throw new UnreadablePdf('it is an encrypted PDF. Save or print it as a PDF without a password or encryption and share that.');
  }
  // pdf.js may take the buffer it is given, so it gets a copy: the caller's bytes stay whole for vendors.
  const task = getDocument({ ...SAFE_OPTIONS, data: new Uint8Array(bytes) });
  try {
    const pdf = await task.promise;
    const textPages = Math.min(pdf.numPages, o.maxPages ?? MAX_TEXT_PAGES);
    const parts: string[] = [];
    for (let n = 1; n <= textPages; n++) {
      o.signal?.throwIfAborted();
      const page = await pdf.getPage(n);
      parts.push(`[page ${n}]\n${pageText(await page.getTextContent())}`);
      page.cleanup();
    }
    const text = parts.some((p) => /\S/.test(p.replace(/^\[page \d+\]/, ''))) ? parts.join('\n\n') : '';
    return { pages: pdf.numPages, text, textPages };
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const protectedPdf = err instanceof Error && err.name === 'PasswordException';
    throw new UnreadablePdf(
      protectedPdf
        ? 'it is a password-protected PDF. Save it without a password and share that.'
        : 'it could not be read as a PDF (it may be damaged). Export or save it again as PDF and share that.',
    );
  } finally {
    await task.destroy();
  }
}

interface TextItemLike {
  str?: string;
  hasEOL?: boolean;
}

function pageText(content: { items: readonly TextItemLike[] | readonly object[] }): string {
  let out = '';
  for (const item of content.items as readonly TextItemLike[]) {
    if (typeof item.str !== 'string') continue;
    out += item.str + (item.hasEOL ? '\n' : ' ');
  }
  return out.replace(/[ \t]+\n/g, '\n').trim();
}
