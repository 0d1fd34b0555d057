import { afterEach, describe, expect, it } from 'vitest';
import type { FakeDiscordFile } from '../fakes/discord-cdn.ts';
import { sha256 } from '../e2e/file-helpers.ts';
import { PINNED, VENDORS, chartAndSpec, expectBookedAsReported, longLog, modelCallsOf } from '../slack/file-acceptance.ts';
import { answers, openThread, saidOnDiscord, slashAsk, startFilesDiscord, threadMessage, type FilesDiscord } from './files-acceptance-harness.ts';

let run: FilesDiscord | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

async function sampleFiles(vendor: string): Promise<{ png: Uint8Array; pdf: Uint8Array; chart: FakeDiscordFile; spec: FakeDiscordFile }> {
  const { png, pdf } = await chartAndSpec(`chart-${vendor}-9c1e`);
  return {
    png,
    pdf,
    chart: { name: 'chart.png', content: png, contentType: 'image/png' },
    spec: { name: 'spec.pdf', content: pdf, contentType: 'application/pdf' },
  };
}

describe('Discord acceptance: a 3-page PDF and a PNG reach each vendor as native blocks', () => {
  for (const vendor of VENDORS) {
    const pin = `--model ${vendor}:${PINNED[vendor]}`;

    it(`GIVEN a thread message with both files, pinned to ${vendor} THEN the blocks are the CDN’s bytes, the footer counts them and the books match the fake’s usage`, async () => {
      const { png, pdf, chart, spec } = await sampleFiles(vendor);
      run = await startFilesDiscord();
      const thread = await openThread(run, `${pin} say hello`);
      threadMessage(run, thread, `${pin} what do these show?`, [chart, spec]);
      const evidence = await answers(run.h.discord, 2);
      expect(saidOnDiscord(run.h.discord)).toContain('2 files, 3 pages');
      const call = modelCallsOf(run.vendors[vendor]).at(-1)!;
      expect(call.files.map((f) => [f.kind, f.sha256])).toEqual([
        ['image', sha256(png)],
        ['pdf', sha256(pdf)],
      ]);
      // Read from the CDN once each, with no token.
      expect(run.h.discord.cdn.downloads.map((d) => d.authorization)).toEqual([undefined, undefined]);
      await expectBookedAsReported(run.h.hive, vendor, call, evidence);
    });

    it(`GIVEN /ask with the PDF as its file option, pinned to ${vendor} THEN the PDF goes as a native block and the books match`, async () => {
      const { pdf, spec } = await sampleFiles(vendor);
      run = await startFilesDiscord();
      await openThread(run, `${pin} what does the spec say?`, spec);
      expect(saidOnDiscord(run.h.discord)).toContain('1 file, 3 pages');
      const call = modelCallsOf(run.vendors[vendor]).at(-1)!;
      expect(call.files.map((f) => [f.kind, f.sha256])).toEqual([['pdf', sha256(pdf)]]);
      await expectBookedAsReported(run.h.hive, vendor, call, await answers(run.h.discord, 1));
    });

    it(`GIVEN /ask in a Hive thread with the PDF as its file, after the PNG was shared there, pinned to ${vendor} THEN both go as native blocks`, async () => {
      const { png, pdf, chart, spec } = await sampleFiles(vendor);
      run = await startFilesDiscord();
      const thread = await openThread(run, `${pin} say hello`);
      threadMessage(run, thread, `${pin} what does the chart show?`, [chart]);
      await answers(run.h.discord, 2);
      await run.h.hive.dispatcher.drain();
      slashAsk(run.h.discord, thread, `${pin} and with the spec?`, spec);
      const evidence = await answers(run.h.discord, 3);
      expect(saidOnDiscord(run.h.discord)).toContain('2 files, 3 pages');
      const call = modelCallsOf(run.vendors[vendor]).at(-1)!;
      // The command's own file first, then the thread's earlier one.
      expect(call.files.map((f) => [f.kind, f.sha256])).toEqual([
        ['pdf', sha256(pdf)],
        ['image', sha256(png)],
      ]);
      await expectBookedAsReported(run.h.hive, vendor, call, evidence);
    });
  }
});

describe('Discord acceptance: a long log', () => {
  it('GIVEN a 5 MB log as /ask’s file THEN the model gets it fenced and trimmed, the end kept, and the footer says so', async () => {
    run = await startFilesDiscord({ text: 'The job failed at step 3.' });
    await openThread(run, '--model openai:gpt-6.2-sol why did it fail?', { name: 'worker.log', content: longLog(), contentType: 'text/plain' });
    const said = saidOnDiscord(run.h.discord);
    expect(said).toContain('1 file');
    expect(said).toMatch(/worker\.log was trimmed to fit/);
    const [call, ...more] = modelCallsOf(run.vendors.openai);
    expect(more).toEqual([]);
    const sent = JSON.stringify(call!.body);
    expect(sent).toContain('FATAL: step 3 failed');
    expect(sent.length).toBeLessThan(40_000);
    expect(call!.files).toEqual([]);
  });
});
