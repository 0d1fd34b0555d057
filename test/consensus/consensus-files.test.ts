import { afterEach, describe, expect, it } from 'vitest';
import { generateCalls, pdfWith, pngWith, runWithFiles, sha256, sharedFiles } from '../e2e/file-helpers.ts';
import { FAST_TIMING, PANEL, startPanel, type Panel } from './harness.ts';
import { pickMembersForFiles } from '../../src/consensus/file-members.ts';
import type { JobFiles } from '../../src/routing/job-files.ts';

let p: Panel | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const agree = () => ({ text: 'ANSWER: a login form' });

describe('/consensus with files', () => {
  it('GIVEN an image and a PDF THEN every member receives both, each prepared for its vendor, and the footer counts them once', async () => {
    p = await startPanel({ anthropic: agree, openai: agree, google: agree }, { tuning: FAST_TIMING });
    const png = pngWith('panel');
    const pdf = await pdfWith(3, 'panel');
    const files = sharedFiles([
      { name: 'screen.png', bytes: png },
      { name: 'spec.pdf', bytes: pdf },
    ]);
    const reply = await runWithFiles(p.hive, '/consensus what does the screen show?', files);
    expect(reply.tone).not.toBe('error');
    expect(reply.footer!.match(/2 files, 3 pages/g)).toHaveLength(1);
    for (const vendor of ['anthropic', 'openai', 'google'] as const) {
      const calls = generateCalls(p.fakes[vendor]!.requests).filter((c) => c.model === PANEL[vendor]);
      expect(calls, vendor).toHaveLength(1);
      expect(calls[0]!.files.map((f) => [f.kind, f.sha256])).toEqual([
        ['image', sha256(png)],
        ['pdf', sha256(pdf)],
      ]);
    }
    // Read once for the whole panel.
    expect([...files.reads.values()]).toEqual([1, 1]);
    const record = await p.hive.evidence.get(/evidence (\w{26})/.exec(reply.footer!)![1]!, 'local');
    expect(record!.files!.map((f) => f.sha256)).toEqual([sha256(png), sha256(pdf)]);
  });

  it('GIVEN a file too large THEN the consensus is refused naming it, and no member is asked', async () => {
    p = await startPanel({ anthropic: agree, openai: agree }, { tuning: FAST_TIMING });
    const files = sharedFiles([{ name: 'huge.bin', bytes: new Uint8Array(60 * 1024 * 1024) }]);
    const reply = await runWithFiles(p.hive, '/consensus what is it?', files);
    expect(reply.tone).toBe('error');
    expect(reply.text).toContain('huge.bin');
    expect(generateCalls(p.fakes.anthropic!.requests)).toEqual([]);
    expect(generateCalls(p.fakes.openai!.requests)).toEqual([]);
  });
});

describe('a panel for files', () => {
  const image = { name: 'screen.png', kind: 'image', mediaType: 'image/png', bytes: 10, sha256: 'x', ref: { id: 'F1', name: 'screen.png' } } as const;
  const files: JobFiles = {
    files: [image],
    unreadable: (ref) => (ref.model === 'o3-mini' ? [image] : []),
    notes: () => [],
    requestFor: (base) => () => ({ request: base, fileTokens: 0 }),
  };
  const lanes = { cheap: [], deep: [], balanced: [] };
  const usable = new Set(['openai', 'anthropic'] as const);

  it('GIVEN a named model that cannot read a file THEN it sits out and the note says why', () => {
    const models = [
      { vendor: 'openai' as const, model: 'o3-mini' },
      { vendor: 'anthropic' as const, model: 'claude-sonnet-5-5' },
    ];
    const { plan, note } = pickMembersForFiles({ models }, lanes, usable, files);
    expect(plan.members).toEqual([models[1]]);
    expect(note).toBe('o3-mini does not read images, so it sits out');
    expect(plan.alone).toMatch(/Only claude-sonnet-5-5 reads the files/);
  });

  it('GIVEN no member that reads the file THEN the consensus is refused naming the models that would', () => {
    const lanes2 = { ...lanes, balanced: [{ vendor: 'anthropic' as const, model: 'claude-sonnet-5-5' }] };
    expect(() => pickMembersForFiles({ models: [{ vendor: 'openai', model: 'o3-mini' }] }, lanes2, usable, files)).toThrow(
      /o3-mini cannot read screen\.png \(an image\)[\s\S]*anthropic:claude-sonnet-5-5/,
    );
  });
});
