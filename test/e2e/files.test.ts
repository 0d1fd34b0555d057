import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { evidenceWithActions } from '../../src/jobs/evidence-export.ts';
import { renderEvidence } from '../../commands/hive-evidence.ts';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { anthropicWire } from '../fakes/anthropic-wire.ts';
import { fakeFilesTokens } from '../fakes/fake-vendor.ts';
import { googleWire } from '../fakes/google-wire.ts';
import { openaiWire } from '../fakes/openai-wire.ts';
import type { VendorWire } from '../fakes/wire.ts';
import { estimateTokens } from '../fakes/wire-util.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { evidenceIdOf, generateCalls, pdfWith, pngWith, runWithFiles, sha256, sharedFiles } from './file-helpers.ts';

const MARKER = 'MARKER-7f3a9c-not-for-the-books';
const WIRES: Record<Vendor, VendorWire> = { anthropic: anthropicWire, openai: openaiWire, google: googleWire };
const MODELS: Record<Vendor, string> = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-6.2-sol', google: 'gemini-3.1-pro-preview' };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('files shared with /ask reach the model, the footer and the books', () => {
  for (const vendor of ['anthropic', 'openai', 'google'] as const) {
    it(`GIVEN a PNG and a 3-page PDF on ${vendor} THEN both go as native blocks, the footer counts them and the ledger books the fake's usage`, async () => {
      h = await startHarness({ vendors: { [vendor]: () => ({ text: 'A chart and a spec.' }) } });
      const png = pngWith(MARKER);
      const pdf = await pdfWith(3, MARKER);
      const files = sharedFiles([
        { name: 'chart.png', bytes: png },
        { name: 'spec.pdf', bytes: pdf },
      ]);
      const reply = await runWithFiles(h.hive, `/ask --model ${vendor}:${MODELS[vendor]} what do these show?`, files);
      expect(reply.tone).not.toBe('error');
      expect(reply.footer).toContain('· 2 files, 3 pages ·');
      const [call, ...more] = generateCalls(h.vendors[vendor]!.requests);
      expect(more).toEqual([]);
      expect(call!.files.map((f) => [f.kind, f.sha256])).toEqual([
        ['image', sha256(png)],
        ['pdf', sha256(pdf)],
      ]);
      expect([...files.reads.values()]).toEqual([1, 1]);
      // The fake bills the prompt's text and each block by its rule; Hive books exactly that, priced.
      const rows = await h.hive.logs.selectFrom('ledger').selectAll().where('evidence_id', '=', evidenceIdOf(reply.footer)).execute();
      const input = estimateTokens(WIRES[vendor].promptText(call!.body)) + fakeFilesTokens(call!.files);
      expect(rows.map((r) => r.input_tokens)).toEqual([input]);
      const usage = { ...ZERO_USAGE, inputTokens: input, outputTokens: rows[0]!.output_tokens };
      const usd = computeCost(h.hive.ctx.catalogue, vendor, MODELS[vendor], usage, { at: new Date(rows[0]!.at) })!.usd;
      expect(rows[0]!.cost_nano).toBe(Math.round(usd * 1e9));
    });
  }

  it('GIVEN files THEN the evidence keeps each SHA-256 and no content, and no stored row holds the planted marker', async () => {
    h = await startHarness({ store: 'sqlite', vendors: { anthropic: () => ({ text: 'Read them.' }) } });
    const png = pngWith(MARKER);
    const pdf = await pdfWith(3, MARKER);
    const log = new TextEncoder().encode(`2027-01-01 boot\n${MARKER} failed at step 3\n`);
    const files = sharedFiles([
      { name: 'chart.png', bytes: png },
      { name: 'spec.pdf', bytes: pdf },
      { name: 'boot.log', bytes: log },
    ]);
    const reply = await runWithFiles(h.hive, '/ask --model anthropic:claude-sonnet-5-5 what failed?', files);
    expect(reply.footer).toContain('3 files, 3 pages');
    const [call] = generateCalls(h.vendors.anthropic!.requests);
    expect(JSON.stringify(call!.body)).toContain(MARKER); // the log went to the model, fenced
    await h.hive.evidence.flush();
    const id = evidenceIdOf(reply.footer);
    const record = await h.hive.evidence.get(id, 'local');
    expect(record!.files).toEqual([
      { name: 'chart.png', mediaType: 'image/png', bytes: png.length, sha256: sha256(png) },
      { name: 'spec.pdf', mediaType: 'application/pdf', bytes: pdf.length, sha256: sha256(pdf), pages: 3 },
      { name: 'boot.log', mediaType: expect.stringMatching(/^text\//) as string, bytes: log.length, sha256: sha256(log) },
    ]);
    const shown = renderEvidence(record!);
    expect(shown).toContain(
      `- spec.pdf · application/pdf · ${pdf.length >= 1024 ? `${Math.round(pdf.length / 1024)} KB` : `${pdf.length} bytes`} · 3 pages · sha256 ${sha256(pdf)}`,
    );
    expect(shown).not.toContain(MARKER);
    const exported = [];
    for await (const v of evidenceWithActions(h.hive.evidence, h.hive.ctx.answers.book, 0, 'local')) exported.push(v);
    expect(exported.map((v) => v.files?.map((f) => f.sha256))).toEqual([[sha256(png), sha256(pdf), sha256(log)]]);
    const rows = await h.hive.logs.selectFrom('evidence').selectAll().execute();
    const stored = JSON.stringify(rows);
    expect(stored).toContain(sha256(pdf));
    for (const needle of [MARKER, Buffer.from(pdf.subarray(0, 48)).toString('base64'), Buffer.from(png.subarray(0, 48)).toString('base64')]) {
      expect(stored).not.toContain(needle);
    }
    scanDir(h.dataDir, MARKER);
  });
});

describe('a long log', () => {
  it('GIVEN a 5 MB log THEN the model gets its text fenced and trimmed to the job input budget, and the footer says so', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'The job failed at step 3.' }) } });
    const line = '2027-01-01T00:00:00Z worker-7 INFO step ok, nothing to see here\n';
    const text = line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)) + 'FATAL: step 3 failed\n';
    const files = sharedFiles([{ name: 'worker.log', bytes: new TextEncoder().encode(text) }]);
    const reply = await runWithFiles(h.hive, '/ask --model openai:gpt-6.2-sol why did it fail?', files);
    expect(reply.footer).toContain('· 1 file ·');
    expect(reply.footer).toMatch(/worker\.log was trimmed to fit/);
    const [call] = generateCalls(h.vendors.openai!.requests);
    const sent = JSON.stringify(call!.body);
    expect(sent).toContain('FATAL: step 3 failed'); // the end of a log is kept
    expect(sent.length).toBeLessThan(40_000);
    expect(call!.files).toEqual([]);
  });
});

describe('files refused before any model call', () => {
  it('GIVEN a file over the size limit and an executable THEN the reply names each and why, and the vendor sees no request', async () => {
    h = await startHarness({ vendors: { anthropic: () => ({ text: 'never' }) }, env: { HIVE_FILE_MAX_MB: '1' } });
    const big = new Uint8Array(2 * 1024 * 1024).fill(0x61);
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Uint8Array(200)]);
    const reply = await runWithFiles(
      h.hive,
      '/ask --model anthropic:claude-sonnet-5-5 look',
      sharedFiles([
        { name: 'huge.log', bytes: big },
        { name: 'tool.exe', bytes: exe },
      ]),
    );
    expect(reply.tone).toBe('error');
    expect(reply.text).toContain('huge.log');
    expect(reply.text).toMatch(/1 MB/);
    expect(h.vendors.anthropic!.requests).toEqual([]);
    const only = await runWithFiles(h.hive, '/ask --model anthropic:claude-sonnet-5-5 look', sharedFiles([{ name: 'tool.exe', bytes: exe }]));
    expect(only.tone).toBe('error');
    expect(only.text).toContain('tool.exe');
    expect(h.vendors.anthropic!.requests).toEqual([]);
  });

  it('GIVEN a file that cannot be downloaded, or files with no reader THEN the reply says so and no model is called', async () => {
    h = await startHarness({ vendors: { openai: () => ({ text: 'never' }) } });
    const shared = sharedFiles([{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], { failing: ['notes.txt'] });
    const failed = await runWithFiles(h.hive, '/ask what is in it?', shared);
    expect(failed.tone).toBe('error');
    expect(failed.text).toContain('notes.txt');
    const unread = await runWithFiles(h.hive, '/ask what is in it?', { refs: shared.refs });
    expect(unread.tone).toBe('error');
    expect(unread.text).toMatch(/cannot read files shared here/);
    expect(h.vendors.openai!.requests).toEqual([]);
  });
});

/** Fails if `needle` appears in any byte of the data folder (SQLite files included). */
function scanDir(dir: string, needle: string): void {
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).toString('latin1').includes(needle), file).toBe(false);
  }
}
