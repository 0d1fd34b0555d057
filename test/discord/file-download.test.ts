import { afterEach, describe, expect, it } from 'vitest';
import { DOWNLOAD_TIMEOUT_MS, type DownloadDeadline } from '../../adapters/chat/discord/file-download.ts';
import { createDiscordFileReader } from '../../adapters/chat/discord/files.ts';
import { AttachmentReadError, type AttachmentRef } from '../../src/shared/attachment.ts';
import { createManualClock, systemClock } from '../../src/shared/clock.ts';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.ts';

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

/** A file on the fake CDN, a reader whose deadline runs on a manual clock (unless another is named), and the ref to read. */
async function cdnFile(slow: boolean, deadline?: DownloadDeadline) {
  discord = await startFakeDiscord({ guilds: [] });
  const att = discord.cdn.add({ name: 'slow.log', content: 'Error: boom\n', contentType: 'text/plain' });
  if (slow) discord.cdn.fail(att.id, 'slow');
  const clock = createManualClock(0);
  const read = createDiscordFileReader([discord.cdn.origin], deadline ?? { clock, ms: DOWNLOAD_TIMEOUT_MS });
  const ref: AttachmentRef = { id: att.id, name: 'slow.log', source: { discordUrl: att.url } };
  return { cdn: discord.cdn, clock, read, ref };
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
};

describe('Discord: a CDN download has a deadline of its own', () => {
  it('GIVEN a download that stalls and no signal from the caller THEN the deadline ends it as download_failed (retryable), saying so', async () => {
    // Discord's adapter has no clock of its own: a short real deadline stands in for the minute (with room for a loaded machine to reach the CDN first).
    const { cdn, read, ref } = await cdnFile(true, { clock: systemClock, ms: 500 });
    const failure = (await read(ref, { maxBytes: 1000 }).catch((e: unknown) => e)) as AttachmentReadError;
    expect(cdn.downloads).toHaveLength(1);
    expect(failure).toBeInstanceOf(AttachmentReadError);
    expect([failure.code, failure.retryable]).toEqual(['download_failed', true]);
    expect(failure.message).toBe('slow.log: Discord’s CDN did not finish within 0.5 s');
  });

  it('GIVEN a download that finishes THEN its deadline is gone with it', async () => {
    const { clock, read, ref } = await cdnFile(false);
    expect(Buffer.from(await read(ref, { maxBytes: 1000 })).toString()).toBe('Error: boom\n');
    expect(clock.pending()).toBe(0);
  });

  it('GIVEN a download THEN its bytes are a plain Uint8Array, never a Buffer (PDF.js refuses a Buffer)', async () => {
    const { read, ref } = await cdnFile(false);
    const bytes = await read(ref, { maxBytes: 1000 });
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
  });

  it('GIVEN the caller’s signal ends first THEN the download stops at once, as before', async () => {
    const { cdn, clock, read, ref } = await cdnFile(true);
    const ctl = new AbortController();
    const err = read(ref, { maxBytes: 1000, signal: ctl.signal }).catch((e: unknown) => e);
    await until(() => cdn.downloads.length === 1);
    ctl.abort();
    const failure = (await err) as AttachmentReadError;
    expect(failure.code).toBe('download_failed');
    expect(failure.message).not.toContain('did not finish within');
    expect(clock.pending()).toBe(0);
  });
});
