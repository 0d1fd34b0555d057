import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Invocation } from '../../src/chat/invocation.ts';
import { pngWith, sha256 } from '../e2e/file-helpers.ts';
import type { FakeDiscordFile } from '../fakes/discord-cdn.ts';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { modelCallsOf } from '../slack/file-acceptance.ts';
import { CHANNEL, discordWorker, startDiscord } from './harness.ts';
import { answers, openThread, saidOnDiscord, slashAsk, startFilesDiscord, threadMessage, type FilesDiscord } from './files-acceptance-harness.ts';

let run: FilesDiscord | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
});

const PIN = '--model openai:gpt-6.2-sol';

/** Every invocation handed to the dispatcher from now on (still run as usual). */
function invocations(r: FilesDiscord): Invocation[] {
  const seen: Invocation[] = [];
  const handle = r.h.hive.host.dispatcher.handle.bind(r.h.hive.host.dispatcher);
  vi.spyOn(r.h.hive.host.dispatcher, 'handle').mockImplementation(async (inv) => {
    seen.push(inv);
    return handle(inv);
  });
  return seen;
}

const chartFile = (png: Uint8Array): FakeDiscordFile => ({ name: 'chart.png', content: png, contentType: 'image/png' });

describe('Discord: a thread opened from a channel /ask keeps the files given with it', () => {
  it('GIVEN /ask with a PNG as its file option THEN a message in the thread it opened sends the PNG again, marked earlier', async () => {
    const png = pngWith('root-chart-51d0');
    run = await startFilesDiscord();
    const thread = await openThread(run, `${PIN} what does the chart show?`, chartFile(png));
    const seen = invocations(run);
    threadMessage(run, thread, `${PIN} and the peak?`, []);
    await answers(run.h.discord, 2);
    expect(seen[0]!.attachments?.map((a) => [a.name, a.earlier ?? false])).toEqual([['chart.png', true]]);
    const [first, followUp] = modelCallsOf(run.vendors.openai);
    expect(first!.files.map((f) => [f.kind, f.sha256])).toEqual([['image', sha256(png)]]);
    expect(followUp!.files.map((f) => [f.kind, f.sha256])).toEqual([['image', sha256(png)]]);
    expect(JSON.stringify(followUp!.body)).toContain('shared earlier in the thread');
    expect(saidOnDiscord(run.h.discord).match(/1 file/g)?.length).toBe(2);
  });

  it('GIVEN a follow-up with its own file, and /ask typed later in the thread THEN each sees its own file first, then the root’s, then the thread’s', async () => {
    run = await startFilesDiscord();
    const thread = await openThread(run, `${PIN} what does the chart show?`, chartFile(pngWith('root-chart-8e21')));
    const seen = invocations(run);
    threadMessage(run, thread, `${PIN} and this log?`, [{ name: 'trace.log', content: 'Error: boom', contentType: 'text/plain' }]);
    await answers(run.h.discord, 2);
    await run.h.hive.dispatcher.drain();
    slashAsk(run.h.discord, thread, `${PIN} compare them`);
    await answers(run.h.discord, 3);
    const named = (inv: Invocation) => inv.attachments?.map((a) => [a.name, a.earlier ?? false]);
    expect(named(seen[0]!)).toEqual([
      ['trace.log', false],
      ['chart.png', true],
    ]);
    expect(named(seen[1]!)).toEqual([
      ['chart.png', true],
      ['trace.log', true],
    ]);
  });

  it('GIVEN /ask without a file THEN nothing is kept for its thread, and a follow-up carries no files', async () => {
    run = await startFilesDiscord();
    const thread = await openThread(run, `${PIN} say hello`);
    const seen = invocations(run);
    threadMessage(run, thread, `${PIN} and again?`, []);
    await answers(run.h.discord, 2);
    expect(seen[0]!.attachments ?? []).toEqual([]);
    expect(modelCallsOf(run.vendors.openai).map((c) => c.files)).toEqual([[], []]);
  });

  it('GIVEN /ask with a file answered by a worker at scale-out THEN the thread the worker opened keeps it, and intake queues a follow-up there with it', async () => {
    const queue = createMemoryQueue();
    const h = await startDiscord({ queue });
    const { token } = slashAsk(h.discord, CHANNEL, 'what does the chart show?', chartFile(pngWith('worker-chart-0c4d')));
    const [asked] = await queue.waitFor(1);
    expect(asked!.attachments?.map((a) => a.name)).toEqual(['chart.png']);
    await discordWorker(h).handle(asked!, { stalled: 0 });
    const thread = h.discord.originalMessageId(token);
    expect(h.discord.requests.some((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${thread}/threads`)).toBe(true);
    h.discord.userMessage({ channelId: thread, content: 'and the peak?' });
    const [, followUp] = await queue.waitFor(2);
    expect(followUp!.attachments?.map((a) => [a.id, a.name, a.earlier ?? false])).toEqual([[asked!.attachments![0]!.id, 'chart.png', true]]);
    expect(followUp!.attachments![0]!.source).toEqual(asked!.attachments![0]!.source);
  });
});
