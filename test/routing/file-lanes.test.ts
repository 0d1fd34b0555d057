import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { generateCalls, pngWith, runWithFiles, sha256, sharedFiles } from '../e2e/file-helpers.ts';

/** A text-only model (o3-mini reads no images) priced by the operator, so a lane can hold it. */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-file-lanes-'));
const prices = path.join(dir, 'prices.json');
const price = { input: 1, output: 4, checked: '2026-12-01', source: 'https://example.test/pricing' };
fs.writeFileSync(prices, JSON.stringify({ models: [{ vendor: 'openai', id: 'o3-mini', lane: 'cheap', prices: [price] }] }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const png = pngWith('lanes');
const image = () => sharedFiles([{ name: 'screen.png', bytes: png }]);

describe('routing takes the files into account', () => {
  it('GIVEN an image and a lane whose only model reads no images THEN the next lane that can answers, and the footer says why', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'It shows a login form.' }) }, env: { HIVE_PRICES_FILE: prices } });
    await h.run('/hive lanes set cheap openai:o3-mini');
    const reply = await runWithFiles(h.hive, '/ask --cheap what is on the screen?', image());
    expect(reply.tone).not.toBe('error');
    expect(reply.footer).toContain('cheap lane skipped: o3-mini does not read images; balanced lane: gpt-6.2-sol reads images');
    const calls = generateCalls(h.vendors.openai!.requests);
    expect(calls.map((c) => c.model)).toEqual(['gpt-6.2-sol']);
    expect(calls[0]!.files.map((f) => f.sha256)).toEqual([sha256(png)]);
  });

  it('GIVEN a lane with a model that reads images and one that does not THEN only the reader is asked, and the footer names both', async () => {
    h = await startHarness({
      vendors: { openai: () => ({ text: 'never' }), anthropic: () => ({ text: 'A login form.' }) },
      env: { HIVE_PRICES_FILE: prices },
    });
    await h.run('/hive lanes set cheap openai:o3-mini,anthropic:claude-haiku-5-5');
    const reply = await runWithFiles(h.hive, '/ask --cheap what is on the screen?', image());
    expect(reply.footer).toContain('cheap lane: claude-haiku-5-5 reads images; o3-mini does not');
    expect(generateCalls(h.vendors.openai!.requests)).toEqual([]);
    expect(generateCalls(h.vendors.anthropic!.requests)).toHaveLength(1);
  });

  it('GIVEN an image for a pinned text-only model THEN it is refused naming the models that would take it, and nothing is sent', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'never' }) }, env: { HIVE_PRICES_FILE: prices } });
    const reply = await runWithFiles(h.hive, '/ask --model openai:o3-mini what is on the screen?', image());
    expect(reply.tone).toBe('error');
    expect(reply.text).toMatch(/o3-mini cannot read screen\.png \(an image\)/);
    expect(reply.text).toMatch(/Models that would take it: .*openai:gpt-6\.2-sol/);
    expect(h.vendors.openai!.requests).toEqual([]);
  });

  it('GIVEN a failover to another vendor THEN the next call is prepared for that vendor and carries the file too', async () => {
    h = await startHarness({
      vendors: { anthropic: () => ({ status: 529 }), google: () => ({ text: 'A login form.' }) },
    });
    await h.run('/hive lanes set balanced anthropic:claude-sonnet-5-5,google:gemini-3.1-pro-preview');
    const reply = await runWithFiles(h.hive, '/ask --balanced what is on the screen?', image());
    expect(reply.tone).not.toBe('error');
    expect(reply.footer).toMatch(/via google/);
    const google = generateCalls(h.vendors.google!.requests);
    expect(google.at(-1)!.files.map((f) => f.sha256)).toEqual([sha256(png)]);
    expect(generateCalls(h.vendors.anthropic!.requests).every((c) => c.files.length === 1)).toBe(true);
  });
});
