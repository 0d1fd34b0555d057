import { describe, expect, it } from 'vitest';
import { fileInputTokens } from '../../src/models/file-tokens.ts';

const image = (width: number, height: number) => ({ kind: 'image' as const, width, height });
const pdf = (pages: number) => ({ kind: 'pdf' as const, pages });

describe('fileInputTokens: images', () => {
  it('Claude before Opus 4.7: w×h/750 after fitting 1568 px and ~1,600 tokens', () => {
    expect(fileInputTokens('anthropic', 'claude-sonnet-4-6', image(1000, 1000))).toBe(1334);
    expect(fileInputTokens('anthropic', 'claude-haiku-4-5', image(200, 200))).toBe(54);
    // 4000×3000 shrinks to 1264×948 before counting.
    expect(fileInputTokens('anthropic', 'claude-opus-4-6', image(4000, 3000))).toBe(1598);
  });

  it('Claude 5.x and Opus 4.7+: 28-px visual tokens, at most 4,784', () => {
    expect(fileInputTokens('anthropic', 'claude-sonnet-5-5', image(960, 540))).toBe(700);
    expect(fileInputTokens('anthropic', 'claude-opus-4-7', image(28, 29))).toBe(2);
    expect(fileInputTokens('anthropic', 'claude-fable-5-2@max', image(8000, 8000))).toBeLessThanOrEqual(4784);
  });

  it('OpenAI tiles at high detail: 85 + 170 a tile on GPT-4o, 70 + 140 on GPT-5, 2833 + 5667 on 4o mini', () => {
    expect(fileInputTokens('openai', 'gpt-4o', image(1024, 1024))).toBe(765);
    expect(fileInputTokens('openai', 'gpt-4.1', image(2048, 4096))).toBe(1105);
    expect(fileInputTokens('openai', 'gpt-5-2025-08-07', image(1024, 1024))).toBe(630);
    expect(fileInputTokens('openai', 'gpt-4o-mini', image(512, 512))).toBe(2833 + 5667);
  });

  it('OpenAI patches: 32 px, capped, times the model multiplier', () => {
    expect(fileInputTokens('openai', 'gpt-5-mini', image(1024, 1024))).toBe(1659);
    expect(fileInputTokens('openai', 'gpt-4.1-nano', image(320, 320))).toBe(246);
    // Over the 1,536-patch cap: an upper estimate (OpenAI's own resize lands at 1,452 patches).
    expect(fileInputTokens('openai', 'gpt-5-mini', image(1800, 2400))).toBe(Math.ceil(1536 * 1.62));
    // GPT-5.6 and GPT-6 at detail high: fit 2048×2048, at most 2,500 patches.
    expect(fileInputTokens('openai', 'gpt-6-luna', image(640, 480))).toBe(20 * 15);
    expect(fileInputTokens('openai', 'gpt-5.6-sol', image(4096, 4096))).toBe(2500);
  });

  it('Gemini 2.x: 258 up to 384 px a side, else 258 per 768×768 tile; Gemini 3: 1,120', () => {
    expect(fileInputTokens('google', 'gemini-2.5-flash', image(384, 300))).toBe(258);
    expect(fileInputTokens('google', 'gemini-2.5-pro', image(1600, 900))).toBe(258 * 6);
    expect(fileInputTokens('google', 'gemini-3.8-flash', image(4000, 4000))).toBe(1120);
  });
});

describe('fileInputTokens: PDFs', () => {
  it('Claude: each page as 3,000 tokens of text (the stated upper end) plus a 1,600-token page image', () => {
    expect(fileInputTokens('anthropic', 'claude-opus-5-5', pdf(3))).toBe(3 * 4600);
    expect(fileInputTokens('anthropic', 'claude-haiku-4-5', pdf(1))).toBe(4600);
  });

  it('OpenAI: extracted text plus an image of each page by the model’s own image rule', () => {
    expect(fileInputTokens('openai', 'gpt-4o', pdf(2))).toBe(2 * (3000 + 765));
    expect(fileInputTokens('openai', 'gpt-6.2-sol', pdf(1))).toBe(3000 + 2500);
  });

  it('Gemini: 258 a page on 2.x, 560 on 3.x; no pages, no tokens', () => {
    expect(fileInputTokens('google', 'gemini-2.5-flash', pdf(14))).toBe(14 * 258);
    expect(fileInputTokens('google', 'gemini-3.1-pro-preview', pdf(3))).toBe(1680);
    expect(fileInputTokens('google', 'gemini-3.5-flash', pdf(0))).toBe(0);
  });

  it('a model no row names gets its vendor’s newest, costlier rule', () => {
    expect(fileInputTokens('anthropic', 'claude-next', image(960, 540))).toBe(700);
    expect(fileInputTokens('openai', 'davinci-002', image(640, 480))).toBe(300);
    expect(fileInputTokens('google', 'gemma-3', pdf(1))).toBe(560);
  });
});

describe('fileInputTokens: Claude tiers by id', () => {
  it('dated snapshots and aliases of the 4.x models before 4.7 keep w×h/750; Opus 4.7 and 4.8 take patches', () => {
    for (const id of ['claude-opus-4-20250514', 'claude-opus-4-0', 'claude-opus-4-1-20250805', 'claude-opus-4-6', 'claude-3-5-haiku-latest']) {
      expect(fileInputTokens('anthropic', id, image(960, 540)), id).toBe(692);
    }
    for (const id of ['claude-opus-4-7', 'claude-opus-4-8', 'claude-haiku-5-5', 'claude-sonnet-5']) {
      expect(fileInputTokens('anthropic', id, image(960, 540)), id).toBe(700);
    }
  });
});
