import { fileCapabilityOf } from '../models/file-capabilities.ts';
import type { ModelFile, Vendor } from '../shared/provider-spec.ts';
import { fenceOverhead, fencePart, filePreamble, newFileFence, type FencedPart } from './file-fence.ts';
import { formatBytes } from './file-words.ts';
import { chooseDeliveries } from './native-choice.ts';
import type { PreparedFile } from './prepared-file.ts';
import { keepEnds, shareBudget } from './text-budget.ts';

/** The footer's count and the evidence rows travel with what a model receives. */
export { fileEvidence, fileSummary, type FileEvidence } from './file-summary.ts';

/** What one model receives of a job's files. */
export interface ModelInput {
  /** The fenced text of text files and of PDFs the model cannot read natively, to put before the question; '' when none. */
  text: string;
  /** Images and PDFs as the vendor's native blocks (the same bytes the prepared files hold). */
  files: ModelFile[];
  /** What this model receives differently (a log trimmed to fit, a PDF as text), for the footer. */
  notes: string[];
  /** Files this model cannot take at all (an image for a text-only model). */
  unreadable: PreparedFile[];
}

/** The room a model's context leaves for file text. */
export interface ModelInputOptions {
  /** The most characters of file text (fences and notes included) the model's context has room for. */
  maxTextChars: number;
  /** A fixed delimiter, for tests; otherwise a fresh random one that no file's text contains. */
  fence?: string;
}

/**
 * Prepares a job's files for one model: natively where `fileCapabilityOf` allows and the limits fit,
 * else a PDF's extracted text; text inside fences as untrusted data, trimmed to `maxTextChars`.
 */
export function modelInput(files: PreparedFile[], target: { vendor: Vendor; model: string }, o: ModelInputOptions): ModelInput {
  const deliveries = chooseDeliveries(files, fileCapabilityOf(target.vendor, target.model));
  const notes: string[] = [];
  const native: PreparedFile[] = [];
  const asText: PreparedFile[] = [];
  const unreadable: PreparedFile[] = [];
  files.forEach((f, i) => {
    const d = deliveries[i]!;
    if (d.as === 'native') native.push(f);
    else if (d.as === 'text') asText.push(f);
    else unreadable.push(f);
    if (d.as !== 'native' && d.why) notes.push(d.as === 'text' ? `${f.name} went as its extracted text: ${d.why}` : `${f.name} was not sent: ${d.why}`);
  });
  const text = fileText(asText, native, o, notes);
  return { text, files: native.map(toModelFile), notes, unreadable };
}

function toModelFile(f: PreparedFile): ModelFile {
  return { kind: f.kind === 'pdf' ? 'pdf' : 'image', mediaType: f.mediaType, name: f.name, data: f.data! };
}

/** The preamble, the list of native files, and each text inside its fence, trimmed to the budget together. */
function fileText(asText: readonly PreparedFile[], native: readonly PreparedFile[], o: ModelInputOptions, notes: string[]): string {
  if (asText.length === 0 && native.length === 0) return '';
  const listing =
    native.length === 0
      ? ''
      : `Attached to this message as files (names as shared): ${native.map((f) => `"${quoteSafe(f.name)}" (${factsOf(f)})`).join(', ')}.`;
  if (asText.length === 0) return listing;
  const heads = asText.map((f) => ({ name: f.name, facts: f.kind === 'pdf' ? `${factsOf(f)}; its text as extracted` : factsOf(f) }));
  const bodies = asText.map((f) => f.text ?? '');
  const fence = o.fence ?? newFileFence([...bodies, ...asText.map((f) => f.name)]);
  const room = o.maxTextChars - fenceOverhead(fence, heads) - listing.length - 1;
  const shares = shareBudget(
    bodies.map((b) => b.length),
    room,
  );
  const parts: FencedPart[] = asText.map((f, i) => {
    const fitted = keepEnds(bodies[i]!, shares[i]!, f.mediaType === 'text/plain' ? 2 / 3 : 1 / 3);
    if (fitted.omitted > 0) notes.push(trimNote(f.name, fitted.omitted, bodies[i]!.length));
    if (f.kind === 'pdf' && f.pages !== undefined && (f.textPages ?? 0) < f.pages)
      notes.push(`${f.name}: only the text of its first ${f.textPages ?? 0} of ${f.pages} pages was read`);
    return { ...heads[i]!, body: fitted.text };
  });
  return [filePreamble(fence), ...(listing ? [listing] : []), ...parts.map((p) => fencePart(fence, p))].join('\n\n');
}

function trimNote(name: string, omitted: number, total: number): string {
  const whole = omitted >= total;
  if (whole) return `${name} was left out: there was no room for its text`;
  return `${name} was trimmed to fit: ${omitted.toLocaleString('en-US')} of its ${total.toLocaleString('en-US')} characters were left out from the middle (its start and end were kept)`;
}

/** `text/plain, 5 MB`, `PDF, 14 pages`, `image, 1280×720 px`, and whether it came earlier in the thread. */
function factsOf(f: PreparedFile): string {
  const what =
    f.kind === 'pdf'
      ? `PDF, ${pagesWord(f.pages ?? 0)}`
      : f.kind === 'image'
        ? `${f.mediaType}, ${f.width ?? 0}×${f.height ?? 0} px`
        : `${f.mediaType}, ${formatBytes(f.bytes)}`;
  return f.earlier ? `${what}, shared earlier in the thread` : what;
}

const pagesWord = (n: number) => (n === 1 ? '1 page' : `${n} pages`);
const quoteSafe = (name: string) => name.replace(/"/g, "'");
