import type { Vendor } from '../shared/provider-spec.ts';
import { fileModelKey } from './file-capabilities.ts';

/** A file's size in the units the vendors bill by: pixels for an image, pages for a PDF. */
export type FileMeasure = { kind: 'image'; width: number; height: number } | { kind: 'pdf'; pages: number };

/** How one family turns an image's pixels into input tokens (each an upper estimate, for holds). */
type ImageRule =
  /** Anthropic before Opus 4.7: fit the long edge and the pixel budget, then w×h/750. */
  | { kind: 'area'; maxEdge: number; maxPixels: number }
  /** 28- or 32-pixel patches after fitting `box` (a side) and `maxPixels`, at most `maxPatches`, times a multiplier. */
  | { kind: 'patch'; size: number; box: number; maxPixels: number; maxPatches: number; multiplier: number }
  /** OpenAI's high-detail tiles: fit 2048×2048, short side to 768, base + per 512-px tile. */
  | { kind: 'tile'; base: number; perTile: number }
  /** Gemini 2.x: 258 when both sides ≤ 384 px, else 258 per 768×768 tile. */
  | { kind: 'gemini-tiles' }
  /** A fixed budget per image (Gemini 3's default media resolution). */
  | { kind: 'flat'; tokens: number };

/** A PDF page: extracted text (the vendor's stated upper end) plus the page as an image, or a flat rate. */
type PageRule = { text: number; image: number } | { flat: number };

interface TokenRow {
  vendor: Vendor;
  match: RegExp;
  image: ImageRule;
  page: PageRule;
}

/** A PDF page as an image-rule sees it: Letter at the 2048-px box every fitting rule shrinks to. */
const PAGE_PX = { width: 1584, height: 2048 };
/** Anthropic's PDF guide: text "1,500-3,000 tokens per page depending on content density"; the hold takes the top. */
const DENSE_PAGE_TEXT = 3000;
/** A PDF page's image on Claude, as counted (a scanned page: 1,600 on Claude 5.5 and Haiku 4.5). */
const CLAUDE_PAGE_IMAGE = 1600;
const CLAUDE_PAGE: PageRule = { text: DENSE_PAGE_TEXT, image: CLAUDE_PAGE_IMAGE };
const patch32 = (maxPatches: number, multiplier: number, box = Number.POSITIVE_INFINITY): ImageRule => ({
  kind: 'patch',
  size: 32,
  box,
  maxPixels: Number.POSITIVE_INFINITY,
  maxPatches,
  multiplier,
});

// Sources (checked 2026-12-08):
// Anthropic: platform.claude.com/docs/en/build-with-claude/vision (28×28-px visual tokens,
//   ⌈w/28⌉×⌈h/28⌉; earlier models w×h/750 within 1568 px and ~1,600 tokens) and pdf-support (each
//   page as text and an image); the high tier's 2,576 px, 3,605,000 px and 4,784 tokens and which
//   models have it: secondary (docs.rs adk-vision 3.0.0 cloud/claude.rs, counted 2026-11-19); the
//   1,600-token page image: secondary (huggingface.co/datasets/JOHNISKING/pdf-token-cost).
// OpenAI: developers.openai.com/api/docs/guides/images-vision (tiles: 4o and 4.1 85+170, 4o-mini
//   2833+5667, GPT-5 70+140; 32-px patches capped at 1,536: 4.1-mini and 5-mini ×1.62, 4.1-nano and
//   5-nano ×2.46, o4-mini ×1.72; GPT-5.6 and later at detail high: 2048×2048 and 2,500 patches,
//   via Prism-Shadow/agenthub#194 — no multiplier is published, 1 assumed) and guides/pdf-files
//   (extracted text plus an image of each page; no per-page text figure is published: Anthropic's
//   dense-page 3,000 is used).
// Gemini: ai.google.dev/gemini-api/docs/tokens and document-processing (2.x: 258 per image up to
//   384 px a side, else per 768×768 tile; 258 a PDF page); media-resolution (3.x defaults: images
//   HIGH 1,120, PDFs MEDIUM 560 a page).
// prettier-ignore
const ROWS: readonly TokenRow[] = [
  { vendor: 'anthropic', match: /^claude-(?:3|haiku-4|sonnet-4|opus-4(?!-[7-9](?:$|-)))/, image: { kind: 'area', maxEdge: 1568, maxPixels: 1_200_000 }, page: CLAUDE_PAGE },
  // Opus 4.7 and later, every Claude 5.x, and any Claude no row names yet.
  { vendor: 'anthropic', match: /^claude-/, image: { kind: 'patch', size: 28, box: 2576, maxPixels: 3_605_000, maxPatches: 4784, multiplier: 1 }, page: CLAUDE_PAGE },
  { vendor: 'openai', match: /^gpt-4o-mini/, image: { kind: 'tile', base: 2833, perTile: 5667 }, page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^gpt-(?:4\.1|5)-mini/, image: patch32(1536, 1.62), page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^gpt-(?:4\.1|5)-nano/, image: patch32(1536, 2.46), page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^o4-mini/, image: patch32(1536, 1.72), page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^gpt-(?:4o|4\.1)/, image: { kind: 'tile', base: 85, perTile: 170 }, page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^gpt-5(?:$|-\d)/, image: { kind: 'tile', base: 70, perTile: 140 }, page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'openai', match: /^(?:gpt-|o\d)/, image: patch32(2500, 1, 2048), page: { text: DENSE_PAGE_TEXT, image: -1 } },
  { vendor: 'google', match: /^gemini-(?:2|1\.5)/, image: { kind: 'gemini-tiles' }, page: { flat: 258 } },
  { vendor: 'google', match: /^gemini-/, image: { kind: 'flat', tokens: 1120 }, page: { flat: 560 } },
];

/** The vendor's rule for a model no row names: its newest family's, the costlier guess. */
const FALLBACK: Record<Vendor, TokenRow> = {
  anthropic: ROWS[1]!,
  openai: ROWS.find((r) => r.vendor === 'openai' && r.image.kind === 'patch' && r.image.maxPatches === 2500)!,
  google: ROWS.at(-1)!,
};

/** Scale (never up) so the image fits a side of `edge` and `pixels` pixels. */
function fit(w: number, h: number, edge: number, pixels: number): { w: number; h: number } {
  const s = Math.min(1, edge / Math.max(w, h), Math.sqrt(pixels / (w * h)));
  return { w: Math.max(1, Math.floor(w * s)), h: Math.max(1, Math.floor(h * s)) };
}

function tiles(w: number, h: number, base: number, perTile: number): number {
  const boxed = fit(w, h, 2048, Number.POSITIVE_INFINITY);
  const s = Math.min(1, 768 / Math.min(boxed.w, boxed.h));
  return base + perTile * Math.ceil((boxed.w * s) / 512) * Math.ceil((boxed.h * s) / 512);
}

function imageTokens(rule: ImageRule, width: number, height: number): number {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  switch (rule.kind) {
    case 'area': {
      const f = fit(w, h, rule.maxEdge, rule.maxPixels);
      return Math.ceil((f.w * f.h) / 750);
    }
    case 'patch': {
      const f = fit(w, h, rule.box, rule.maxPixels);
      const patches = Math.min(rule.maxPatches, Math.ceil(f.w / rule.size) * Math.ceil(f.h / rule.size));
      return Math.ceil(patches * rule.multiplier);
    }
    case 'tile':
      return tiles(w, h, rule.base, rule.perTile);
    case 'gemini-tiles':
      return w <= 384 && h <= 384 ? 258 : 258 * Math.ceil(w / 768) * Math.ceil(h / 768);
    case 'flat':
      return rule.tokens;
  }
}

function pageTokens(row: TokenRow): number {
  if ('flat' in row.page) return row.page.flat;
  const image = row.page.image >= 0 ? row.page.image : imageTokens(row.image, PAGE_PX.width, PAGE_PX.height);
  return row.page.text + image;
}

/**
 * Input tokens the vendor bills for `f` sent natively to `model`, by its published rule: an upper
 * estimate, so a budget hold covers the file before the call (the usage reported after it settles
 * the real cost).
 */
export function fileInputTokens(vendor: Vendor, model: string, f: FileMeasure): number {
  const key = fileModelKey(model);
  const row = ROWS.find((r) => r.vendor === vendor && r.match.test(key)) ?? FALLBACK[vendor];
  if (f.kind === 'image') return imageTokens(row.image, f.width, f.height);
  return Math.max(0, Math.ceil(f.pages)) * pageTokens(row);
}
