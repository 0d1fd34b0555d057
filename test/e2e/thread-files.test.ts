import { afterEach, describe, expect, it } from 'vitest';
import { recordExchange } from '../../src/chat/exchange.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { createThreadContext, withEarlierFiles } from '../../src/chat/thread-context.ts';
import { createTranscripts, type TranscriptRecord } from '../../src/chat/transcripts.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { generateCalls, pngWith, runWithFiles, sha256, sharedFiles } from './file-helpers.ts';

const MARKER = 'MARKER-thread-5c1e';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a thread follow-up sees the files of earlier turns', () => {
  it('GIVEN an answer in a thread that had an image THEN a follow-up sends it again, read again, and the transcript keeps no content', async () => {
    h = await startHarness({ vendors: { anthropic: () => ({ text: 'A login form.' }) } });
    const hive = h.hive;
    const store = hive.store.ns('threads');
    const transcripts = createTranscripts({ store, ttlMs: 60_000 });
    const threads = createThreadContext({ transcripts });
    const ref = { scope: 'test', channelId: 'C-test', threadId: 'T1' };
    const png = pngWith(MARKER);
    const files = sharedFiles([{ name: 'screen.png', bytes: png }]);
    const commands = hive.commands;
    const ask = (text: string, attachments: typeof files.refs, context?: Awaited<ReturnType<typeof threads.forThread>>) =>
      new Promise<Reply>((resolve) => {
        void runWithFiles(
          hive,
          `/ask --model anthropic:claude-sonnet-5-5 ${text}`,
          { refs: attachments, read: files.read },
          {
            threadId: 'T1',
            ...(context ? { context } : {}),
            respond: async (reply) => {
              // As a platform does once the answer is posted: the turn, and the files it was asked with.
              await recordExchange({ transcripts, log: hive.log }, ref, commands.find('ask'), text, reply, attachments);
              resolve(reply);
            },
          },
        );
      });
    const first = await ask('what is on the screen?', files.refs);
    expect(first.footer).toContain('1 file');
    const stored = (await store.get('test:C-test:T1')) as TranscriptRecord;
    expect(stored.files).toEqual(files.refs);
    expect(JSON.stringify(stored)).not.toContain(MARKER);

    const earlier = await threads.filesFor(ref);
    expect(earlier).toEqual([{ ...files.refs[0], earlier: true }]);
    const followUp = await ask('and what should I type in it?', withEarlierFiles([], earlier), await threads.forThread(ref));
    expect(followUp.footer).toContain('1 file');
    const calls = generateCalls(h.vendors.anthropic!.requests);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.files.map((f) => f.sha256)).toEqual([sha256(png)]);
    expect(JSON.stringify(calls[1]!.body)).toContain('shared earlier in the thread');
    expect(calls[1]!.lastUserText).toContain('and what should I type in it?');
    expect(files.reads.get('F1')).toBe(2); // read again through the platform's reader, never kept
  });

  it('GIVEN a file shared again with a follow-up THEN it is not also sent as an earlier one', () => {
    const a = { id: 'F1', name: 'a.png' };
    const b = { id: 'F2', name: 'b.log' };
    expect(
      withEarlierFiles(
        [a],
        [
          { ...a, earlier: true },
          { ...b, earlier: true },
        ],
      ),
    ).toEqual([a, { ...b, earlier: true }]);
  });
});
