import { afterEach, describe, expect, it } from 'vitest';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { sha256 } from '../e2e/file-helpers.ts';
import { BOT_TOKEN } from './harness.ts';
import { PINNED, VENDORS, chartAndSpec, evidenceIds, expectBookedAsReported, longLog, modelCallsOf } from './file-acceptance.ts';
import type { FakeSlackFile } from '../fakes/slack-files.ts';
import { ENTRIES, saidOnSlack, sendWithFiles, slackFile, startFilesHarness, type Entry, type FilesHarness } from './files-acceptance-harness.ts';

let run: FilesHarness | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** Asks through one of Slack's entries with `files` and waits for the answer; resolves with its evidence id. */
async function ask(r: FilesHarness, entry: Entry, pin: string, question: string, files: FakeSlackFile[]): Promise<string> {
  const before = evidenceIds(saidOnSlack(r.h.slack)).length;
  await sendWithFiles(r, entry, pin, question, files);
  await r.h.slack.waitFor(() => evidenceIds(saidOnSlack(r.h.slack)).length > before + (entry === 'thread reply' ? 1 : 0), 10_000);
  return evidenceIds(saidOnSlack(r.h.slack)).at(-1)!;
}

describe('Slack acceptance: a 3-page PDF and a PNG reach each vendor as native blocks', () => {
  for (const vendor of VENDORS) {
    for (const entry of ENTRIES) {
      it(`GIVEN a ${entry} with both files, pinned to ${vendor} THEN the blocks are Slack’s bytes, the footer counts them and the books match the fake’s usage`, async () => {
        const { png, pdf } = await chartAndSpec(`chart-${vendor}-7f3a`);
        const files = [slackFile('F0CHART', 'chart.png', 'image/png', png), slackFile('F0SPEC', 'spec.pdf', 'application/pdf', pdf)];
        run = await startFilesHarness(files);
        const evidence = await ask(run, entry, `--model ${vendor}:${PINNED[vendor]}`, 'what do these show?', files);
        const said = saidOnSlack(run.h.slack);
        expect(said).toContain('2 files, 3 pages');
        const call = modelCallsOf(run.vendors[vendor]).at(-1)!;
        expect(call.files.map((f) => [f.kind, f.sha256])).toEqual([
          ['image', sha256(png)],
          ['pdf', sha256(pdf)],
        ]);
        // Read from Slack's file host with the bot token, once each; the event's own URLs were never used.
        expect(run.h.slack.files.downloads.map((d) => [d.fileId, d.token, d.authorized])).toEqual([
          ['F0CHART', BOT_TOKEN, true],
          ['F0SPEC', BOT_TOKEN, true],
        ]);
        for (const other of VENDORS.filter((v): v is Vendor => v !== vendor)) expect(modelCallsOf(run.vendors[other])).toEqual([]);
        await expectBookedAsReported(run.h.hive, vendor, call, evidence);
      });
    }
  }
});

describe('Slack acceptance: a long log', () => {
  for (const entry of ['mention', 'slash /ask'] as const) {
    it(`GIVEN a 5 MB log with a ${entry} THEN the model gets it fenced and trimmed, the end kept, and the footer says so`, async () => {
      const log = slackFile('F0LOG', 'worker.log', 'text/plain', longLog());
      run = await startFilesHarness([log], { text: 'The job failed at step 3.' });
      await ask(run, entry, '--model openai:gpt-6.2-sol', 'why did it fail?', [log]);
      const said = saidOnSlack(run.h.slack);
      expect(said).toContain('1 file');
      expect(said).toMatch(/worker\.log was trimmed to fit/);
      const [call, ...more] = modelCallsOf(run.vendors.openai);
      expect(more).toEqual([]);
      const sent = JSON.stringify(call!.body);
      expect(sent).toContain('FATAL: step 3 failed');
      expect(sent).toContain('worker.log');
      expect(sent.length).toBeLessThan(40_000);
      expect(call!.files).toEqual([]);
    });
  }
});
