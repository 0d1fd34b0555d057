import { describe, expect, it } from 'vitest';
import { fileCapabilityOf, fileCapabilitySource, TEXT_ONLY } from '../../src/models/file-capabilities.ts';
import { MODELS } from '../../src/models/prices.ts';

const MiB = 1024 * 1024;

describe('fileCapabilityOf', () => {
  it('has a row, with a dated source, for every model the price table knows', () => {
    for (const m of MODELS) {
      const cap = fileCapabilityOf(m.vendor, m.id);
      expect(cap, `${m.vendor}:${m.id}`).not.toBe(TEXT_ONLY);
      expect(cap.images && cap.pdfs, `${m.vendor}:${m.id}`).toBe(true);
      expect(fileCapabilitySource(m.vendor, m.id)).toMatchObject({ checked: '2026-12-08', source: expect.stringMatching(/^https:\/\//) });
    }
  });

  it('Claude: 5 MB of base64 an image, 600 pages and files on 1M-window models, 100 on 200k ones', () => {
    const big = fileCapabilityOf('anthropic', 'claude-sonnet-5-5');
    expect(big).toEqual({ images: true, pdfs: true, maxImageBytes: 3.75 * MiB, maxPdfBytes: 24 * MiB, maxPdfPages: 600, maxFiles: 600 });
    expect(fileCapabilityOf('anthropic', 'claude-opus-4-7').maxPdfPages).toBe(600);
    expect(fileCapabilityOf('anthropic', 'claude-sonnet-4-6').maxPdfPages).toBe(600);
    expect(fileCapabilityOf('anthropic', 'claude-haiku-4-5-20251001')).toMatchObject({ maxPdfPages: 100, maxFiles: 100 });
    expect(fileCapabilityOf('anthropic', 'claude-sonnet-4-5').maxPdfPages).toBe(100);
  });

  it('reads ids as the price table does: effort suffix, case, Gemini models/ prefix, dated snapshots', () => {
    expect(fileCapabilityOf('anthropic', 'Claude-Opus-5-5@high')).toEqual(fileCapabilityOf('anthropic', 'claude-opus-5-5'));
    expect(fileCapabilityOf('google', 'models/gemini-3.8-flash')).toEqual(fileCapabilityOf('google', 'gemini-3.8-flash'));
    expect(fileCapabilityOf('openai', 'gpt-4o-2024-08-06')).toEqual(fileCapabilityOf('openai', 'gpt-4o'));
  });

  it('OpenAI: PDFs up to 32 MB and 100 pages; the text-only reasoning minis say so', () => {
    expect(fileCapabilityOf('openai', 'gpt-6-luna')).toMatchObject({ images: true, pdfs: true, maxPdfBytes: 32 * MiB, maxPdfPages: 100, maxFiles: 500 });
    expect(fileCapabilityOf('openai', 'o3-mini')).toEqual(TEXT_ONLY);
    expect(fileCapabilityOf('openai', 'o1-mini-2024-09-12')).toEqual(TEXT_ONLY);
  });

  it('Gemini: 1,000 PDF pages and 50 MB inline; 900 images a prompt on 3.x, 3,600 on 2.x', () => {
    expect(fileCapabilityOf('google', 'gemini-3.5-flash')).toMatchObject({ maxPdfBytes: 50 * MiB, maxPdfPages: 1000, maxFiles: 900 });
    expect(fileCapabilityOf('google', 'gemini-2.5-flash-lite').maxFiles).toBe(3600);
  });

  it('a model no row knows is text-only, never a guess that could cost a refused call', () => {
    expect(fileCapabilityOf('openai', 'davinci-002')).toEqual(TEXT_ONLY);
    expect(fileCapabilityOf('google', 'gemma-3-27b')).toEqual(TEXT_ONLY);
    expect(fileCapabilitySource('google', 'gemma-3-27b')).toBeUndefined();
  });
});
