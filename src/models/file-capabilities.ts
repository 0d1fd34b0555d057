import type { Vendor } from '../shared/provider-spec.ts';
import { splitEffort } from './price-catalogue.ts';

/**
 * What a model reads natively besides text, and the vendor's limits on it, so the core can decide
 * before any call whether a file goes as a native block, as extracted text, or not at all.
 * Byte limits are on the file as read (base64 adds a third on the wire and is counted here).
 */
export interface FileCapability {
  images: boolean;
  pdfs: boolean;
  maxImageBytes: number;
  maxPdfBytes: number;
  maxPdfPages: number;
  /** Most images and PDFs one request may carry. */
  maxFiles: number;
}

/** One family's row: its ids by pattern (first match wins), its capability, and where the facts were read. */
interface CapabilityRow {
  vendor: Vendor;
  match: RegExp;
  capability: FileCapability;
  checked: string;
  source: string;
}

const MiB = 1024 * 1024;
/** Raw bytes that fit a limit the vendor states on the base64 text (4 characters per 3 bytes). */
const base64Budget = (limit: number): number => Math.floor((limit * 3) / 4);
const CHECKED = '2026-12-08';

/** A model that reads text only: PDFs go as extracted text, images are refused. */
export const TEXT_ONLY: FileCapability = Object.freeze({ images: false, pdfs: false, maxImageBytes: 0, maxPdfBytes: 0, maxPdfPages: 0, maxFiles: 0 });

// Anthropic: every active model reads images (JPEG, PNG, GIF, WebP) and PDFs. An image may be 5 MB
// measured on its base64 text and 8000×8000 px (2000×2000 when a request carries more than 20);
// a request 32 MB on standard endpoints (the PDF page's 128 MB first-party figure is newer than
// the vision page's 32 MB: the lower one holds). 600 images and PDF pages a request, 100 on
// models with a 200k-token window.
const CLAUDE = { images: true, pdfs: true, maxImageBytes: base64Budget(5 * MiB), maxPdfBytes: base64Budget(32 * MiB) };
const CLAUDE_VISION = 'https://platform.claude.com/docs/en/build-with-claude/vision.md';
const CLAUDE_PDF = 'https://platform.claude.com/docs/en/build-with-claude/pdf-support';
const CLAUDE_SOURCES = `${CLAUDE_VISION}; ${CLAUDE_PDF}; 5 MB on base64: secondary (claude-code constants/apiLimits.ts)`;

// OpenAI Chat Completions: images as `image_url` (PNG, JPEG, WebP, non-animated GIF; 50 MB payload
// and 500 images a request), PDFs as a `file` part on vision models (GPT-4o and later: "up to 100
// pages and 32MB of total content in a single request"). o1-mini and o3-mini read text only.
const GPT = { images: true, pdfs: true, maxImageBytes: base64Budget(50 * MiB), maxPdfBytes: 32 * MiB, maxPdfPages: 100, maxFiles: 500 };
const GPT_SOURCES = 'https://developers.openai.com/api/docs/guides/images-vision; https://developers.openai.com/api/docs/guides/pdf-files';

// Gemini API: inline data up to 100 MB a request (Google's 2026 file-limits post), PDFs inline up to
// 50 MB and 1,000 pages; 3,600 images a prompt on 2.x, 900 on 3.x (Vertex AI's model table).
const GEMINI = { images: true, pdfs: true, maxImageBytes: base64Budget(100 * MiB), maxPdfBytes: 50 * MiB, maxPdfPages: 1000 };
const GEMINI_SOURCES =
  'https://ai.google.dev/gemini-api/docs/file-input-methods; https://ai.google.dev/gemini-api/docs/document-processing; ' +
  'https://blog.google/innovation-and-ai/technology/developers-tools/gemini-api-new-file-limits; ' +
  'https://docs.cloud.google.com/vertex-ai/docs/generative-ai/image/image-captioning';

// prettier-ignore
const ROWS: readonly CapabilityRow[] = [
  // Claude 5.x, Opus 4.7 and 4.8, Opus and Sonnet 4.6: a 1M-token window.
  { vendor: 'anthropic', match: /^claude-(?:(?:haiku|sonnet|opus|fable|mythos)-[5-9]|opus-4-[678]|sonnet-4-6)/, capability: { ...CLAUDE, maxPdfPages: 600, maxFiles: 600 }, checked: CHECKED, source: CLAUDE_SOURCES },
  // Haiku 4.5, Sonnet 4 and 4.5 (1M only behind a beta header Hive never sends), Opus 4, 4.1, 4.5, Haiku 3.5: 200k.
  { vendor: 'anthropic', match: /^claude-/, capability: { ...CLAUDE, maxPdfPages: 100, maxFiles: 100 }, checked: CHECKED, source: CLAUDE_SOURCES },
  { vendor: 'openai', match: /^o[13]-mini(?:$|-)/, capability: TEXT_ONLY, checked: CHECKED, source: 'https://developers.openai.com/api/docs/models/o3-mini (input: text)' },
  { vendor: 'openai', match: /^gpt-(?:4o|4\.1|5|6)/, capability: GPT, checked: CHECKED, source: GPT_SOURCES },
  { vendor: 'google', match: /^gemini-3/, capability: { ...GEMINI, maxFiles: 900 }, checked: CHECKED, source: GEMINI_SOURCES },
  { vendor: 'google', match: /^gemini-(?:2|1\.5)/, capability: { ...GEMINI, maxFiles: 3600 }, checked: CHECKED, source: GEMINI_SOURCES },
];

/** The id as the tables match it: no `@effort`, no Gemini `models/` prefix, lower case. */
export function fileModelKey(model: string): string {
  const id = splitEffort(model.trim()).id.toLowerCase();
  return id.startsWith('models/') ? id.slice('models/'.length) : id;
}

/**
 * What `model` reads natively and the vendor's limits. A model no row knows (an operator's
 * addition, a new family) is treated as text-only, so an unknown model never costs a refused call.
 */
export function fileCapabilityOf(vendor: Vendor, model: string): FileCapability {
  const key = fileModelKey(model);
  return ROWS.find((r) => r.vendor === vendor && r.match.test(key))?.capability ?? TEXT_ONLY;
}

/** Where a model's row was read and when, for `/hive models` and for reviewing the table. */
export function fileCapabilitySource(vendor: Vendor, model: string): { checked: string; source: string } | undefined {
  const key = fileModelKey(model);
  const row = ROWS.find((r) => r.vendor === vendor && r.match.test(key));
  return row ? { checked: row.checked, source: row.source } : undefined;
}
