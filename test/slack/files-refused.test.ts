import { afterEach, describe, expect, it } from 'vitest';
import type { FakeSlackFile } from '../fakes/slack-files.ts';
import { elfBinary, modelCallsOf, zipArchive } from './file-acceptance.ts';
import { ENTRIES, saidOnSlack, sendWithFiles, slackFile, startFilesHarness, type FilesHarness } from './files-acceptance-harness.ts';

let run: FilesHarness | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** A file Hive must refuse, the words that say why, and how the fake Slack is set up to serve it. */
interface Refusal {
  kind: string;
  file: FakeSlackFile;
  why: RegExp;
  env?: Record<string, string>;
  arrange?: (r: FilesHarness) => void;
}

const REFUSALS: Refusal[] = [
  {
    kind: 'a file over the 1 MB limit',
    file: slackFile('F0HUGE', 'huge.log', 'text/plain', new Uint8Array(2 * 1024 * 1024).fill(0x61)),
    why: /over the 1 MB limit for one file|larger than the 1 MB limit for one file/,
    env: { HIVE_FILE_MAX_MB: '1' },
  },
  { kind: 'a zip archive', file: slackFile('F0ZIP', 'notes.txt', 'text/plain', zipArchive()), why: /it is an archive \(zip\)/ },
  { kind: 'an ELF executable', file: slackFile('F0ELF', 'run.sh', 'text/x-sh', elfBinary()), why: /it is an executable or installer \(elf\)/ },
  {
    kind: 'a download that fails with 404',
    file: slackFile('F0GONE', 'gone.pdf', 'application/pdf', new TextEncoder().encode('%PDF-1.7')),
    why: /could not be found \(Slack no longer has this file\)/,
    arrange: (r) => r.h.slack.files.fail('F0GONE', 'not_found'),
  },
];

describe('Slack acceptance: files Hive refuses, before any model call', () => {
  for (const refusal of REFUSALS) {
    for (const entry of ENTRIES) {
      it(`GIVEN ${refusal.kind} with a ${entry} THEN the reply names the file and why, and no vendor sees a request`, async () => {
        run = await startFilesHarness([refusal.file], refusal.env ? { env: refusal.env } : {});
        refusal.arrange?.(run);
        const calls = () => Object.values(run!.vendors).reduce((n, v) => n + modelCallsOf(v).length, 0);
        // A thread reply's thread was answered once first, without files.
        const before = entry === 'thread reply' ? 1 : 0;
        await sendWithFiles(run, entry, '--model openai:gpt-6.2-sol', 'what is in it?', [refusal.file]);
        await run.h.slack.waitFor(() => saidOnSlack(run!.h.slack).includes('nothing was sent to any model'), 10_000);
        const said = saidOnSlack(run.h.slack);
        expect(said).toContain(`${refusal.file.name}: `);
        expect(said).toMatch(refusal.why);
        expect(calls()).toBe(before);
        expect(run.vendors.anthropic.requests).toEqual([]);
        expect(run.vendors.google.requests).toEqual([]);
        expect(run.h.vendor.requests).toHaveLength(before);
      });
    }
  }
});
