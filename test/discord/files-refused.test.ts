import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCdnFailure, FakeDiscordFile } from '../fakes/discord-cdn.ts';
import { elfBinary, modelCallsOf, zipArchive } from '../slack/file-acceptance.ts';
import { CHANNEL } from './harness.ts';
import { openThread, saidOnDiscord, slashAsk, startFilesDiscord, threadMessage, until, type FilesDiscord } from './files-acceptance-harness.ts';

let run: FilesDiscord | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

/** A file Hive must refuse, the words that say why, and how the fake CDN serves it. */
interface Refusal {
  kind: string;
  file: FakeDiscordFile;
  why: RegExp;
  env?: Record<string, string>;
  fail?: FakeCdnFailure;
}

const REFUSALS: Refusal[] = [
  {
    kind: 'a file over the 1 MB limit',
    file: { name: 'huge.log', content: new Uint8Array(2 * 1024 * 1024).fill(0x61), contentType: 'text/plain' },
    why: /over the 1 MB limit for one file|larger than the 1 MB limit for one file/,
    env: { HIVE_FILE_MAX_MB: '1' },
  },
  { kind: 'a zip archive', file: { name: 'notes.txt', content: zipArchive(), contentType: 'text/plain' }, why: /it is an archive \(zip\)/ },
  { kind: 'an ELF executable', file: { name: 'run.sh', content: elfBinary(), contentType: 'text/x-sh' }, why: /it is an executable or installer \(elf\)/ },
  {
    kind: 'a download that fails with 404',
    file: { name: 'gone.pdf', content: '%PDF-1.7', contentType: 'application/pdf' },
    why: /could not be found \(Discord no longer has this file \(or its link expired\)\)/,
    fail: 'not_found',
  },
];

const PIN = '--model openai:gpt-6.2-sol';

describe('Discord acceptance: files Hive refuses, before any model call', () => {
  for (const refusal of REFUSALS) {
    it(`GIVEN ${refusal.kind} as /ask’s file THEN the reply names the file and why, and no vendor sees a request`, async () => {
      run = await startFilesDiscord(refusal.env ? { env: refusal.env } : {});
      slashAsk(run.h.discord, CHANNEL, `${PIN} what is in it?`, refusal.file, refusal.fail);
      await until(run.h.discord, 'nothing was sent to any model');
      const said = saidOnDiscord(run.h.discord);
      expect(said).toContain(`${refusal.file.name}: `);
      expect(said).toMatch(refusal.why);
      for (const v of Object.values(run.vendors)) expect(v.requests).toEqual([]);
    });

    it(`GIVEN ${refusal.kind} in a thread message THEN the reply names the file and why, and no vendor sees another request`, async () => {
      run = await startFilesDiscord(refusal.env ? { env: refusal.env } : {});
      const thread = await openThread(run, `${PIN} say hello`);
      threadMessage(run, thread, `${PIN} what is in it?`, [refusal.file], refusal.fail);
      await until(run.h.discord, 'nothing was sent to any model');
      const said = saidOnDiscord(run.h.discord);
      expect(said).toContain(`${refusal.file.name}: `);
      expect(said).toMatch(refusal.why);
      expect(modelCallsOf(run.vendors.openai)).toHaveLength(1);
      expect(run.vendors.anthropic.requests).toEqual([]);
      expect(run.vendors.google.requests).toEqual([]);
    });
  }
});
