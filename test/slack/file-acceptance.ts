import { expect } from 'vitest';
import type { Hive } from '../../src/app/hive.ts';
import { computeCost } from '../../src/money/cost.ts';
import { ZERO_USAGE, type Vendor } from '../../src/shared/provider-spec.ts';
import { anthropicWire } from '../fakes/anthropic-wire.ts';
import { fakeFilesTokens, startFakeVendor, type FakeRequest, type FakeVendor } from '../fakes/fake-vendor.ts';
import { googleWire } from '../fakes/google-wire.ts';
import { openaiWire } from '../fakes/openai-wire.ts';
import type { VendorWire } from '../fakes/wire.ts';
import { estimateTokens } from '../fakes/wire-util.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';
import { pdfWith, pngWith } from '../e2e/file-helpers.ts';

/**
 * What the platform acceptance runs share: one model pinned per vendor, the files they send, and
 * the check that the books hold exactly what the fake vendor reported.
 */

/** One model of each vendor that reads images and PDFs natively. */
export const PINNED: Record<Vendor, string> = { anthropic: 'claude-sonnet-5-5', openai: 'gpt-6.2-sol', google: 'gemini-3.1-pro-preview' };
export const VENDORS = ['anthropic', 'openai', 'google'] as const;

const WIRES: Record<Vendor, VendorWire> = { anthropic: anthropicWire, openai: openaiWire, google: googleWire };

/** Workspace keys for the vendors a platform harness does not start itself. */
export const WORKSPACE_KEYS = {
  anthropic: fakeSecret('sk-ant-', 'files-acceptance-0123456789abcdef'),
  google: fakeSecret('AIza', 'FilesAcceptance-0123456789abcdefghij'),
};

/** Fake Anthropic and Gemini, answering without a usage override (the fake bills the prompt and each block). */
export async function startOtherVendors(text: string): Promise<{ anthropic: FakeVendor; google: FakeVendor; env: Record<string, string> }> {
  const anthropic = await startFakeVendor({ vendor: 'anthropic', validKeys: [WORKSPACE_KEYS.anthropic], respond: () => ({ text }) });
  const google = await startFakeVendor({ vendor: 'google', validKeys: [WORKSPACE_KEYS.google], respond: () => ({ text }) });
  return { anthropic, google, env: { ANTHROPIC_BASE_URL: anthropic.url, GEMINI_BASE_URL: google.url } };
}

/** Registers the Anthropic and Gemini keys for a workspace (unverified: no call reaches the fakes). */
export async function registerOtherKeys(hive: Hive, workspaceId: string): Promise<void> {
  await hive.keys.register(workspaceId, 'anthropic', WORKSPACE_KEYS.anthropic, { verify: false });
  await hive.keys.register(workspaceId, 'google', WORKSPACE_KEYS.google, { verify: false });
}

/** The sample files: a PNG and a 3-page PDF, each carrying `marker`. */
export async function chartAndSpec(marker: string): Promise<{ png: Uint8Array; pdf: Uint8Array }> {
  return { png: pngWith(marker), pdf: await pdfWith(3, marker) };
}

/** A 5 MB log whose last line is the one that matters. */
export function longLog(): Uint8Array {
  const line = '2027-01-01T00:00:00Z worker-7 INFO step ok, nothing to see here\n';
  return new TextEncoder().encode(line.repeat(Math.ceil((5 * 1024 * 1024) / line.length)) + 'FATAL: step 3 failed\n');
}

/** A stored zip archive of one text file. */
export function zipArchive(): Uint8Array {
  const name = Buffer.from('notes.txt');
  const data = Buffer.from('hello from inside a zip\n');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(data.length, 22);
  header.writeUInt16LE(name.length, 26);
  return new Uint8Array(Buffer.concat([header, name, data]));
}

/** The first bytes of a 64-bit Linux executable. */
export function elfBinary(): Uint8Array {
  const elf = new Uint8Array(256);
  elf.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  elf[16] = 2;
  elf[18] = 0x3e;
  return elf;
}

/** The model calls a fake vendor answered (not key checks or model lists). */
export const modelCallsOf = (v: FakeVendor): FakeRequest[] => v.requests.filter((r) => r.model !== '');

/** Every evidence id named in `text`, in order. */
export const evidenceIds = (text: string): string[] => [...new Set([...text.matchAll(/evidence ([0-9A-Z]{26})/g)].map((m) => m[1]!))];

/**
 * The job's one ledger row books the input the fake vendor reported (its prompt text's estimate
 * plus each file block by its rule) and the cost is that usage priced from the catalogue.
 */
export async function expectBookedAsReported(hive: Hive, vendor: Vendor, call: FakeRequest, evidenceId: string): Promise<void> {
  const rows = await hive.logs.selectFrom('ledger').selectAll().where('evidence_id', '=', evidenceId).execute();
  const input = estimateTokens(WIRES[vendor].promptText(call.body)) + fakeFilesTokens(call.files);
  expect(rows.map((r) => [r.vendor, r.input_tokens])).toEqual([[vendor, input]]);
  const usage = { ...ZERO_USAGE, inputTokens: input, outputTokens: rows[0]!.output_tokens };
  const usd = computeCost(hive.ctx.catalogue, vendor, PINNED[vendor], usage, { at: new Date(rows[0]!.at) })!.usd;
  expect(rows[0]!.cost_nano).toBe(Math.round(usd * 1e9));
}
