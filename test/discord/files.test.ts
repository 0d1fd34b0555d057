import { describe, expect, it, vi } from 'vitest';
import { discordCommands } from '../../adapters/chat/discord/commands.ts';
import { createDiscordFileReader } from '../../adapters/chat/discord/files.ts';
import { parseDiscordEnv } from '../../adapters/chat/discord/config.ts';
import type { Invocation } from '../../src/chat/invocation.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { discordAddressCodec } from '../../adapters/chat/discord/job-address.ts';
import { AttachmentReadError, type AttachmentRef } from '../../src/shared/attachment.ts';
import { startFakeDiscord } from '../fakes/discord-api.ts';
import { splitFileNote } from '../../src/digest/captured-files.ts';
import { digestOn, permalinkOf, rowOf, until as untilAsync } from './digest-capture-helpers.ts';
import { CHANNEL, GUILD, discordWorker, startDiscord, type DiscordHarness } from './harness.ts';

const USER = '300000000000000009';

/** Records each invocation instead of running it. */
function record(h: DiscordHarness): Invocation[] {
  const seen: Invocation[] = [];
  vi.spyOn(h.hive.host.dispatcher, 'handle').mockImplementation(async (inv) => void seen.push(inv));
  return seen;
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
};

async function failure(p: Promise<unknown>): Promise<AttachmentReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttachmentReadError);
  return err as AttachmentReadError;
}

describe('Discord files', () => {
  it('GIVEN the commands Hive registers THEN /ask and /consensus take an optional file (an ATTACHMENT option)', () => {
    for (const name of ['ask', 'consensus']) {
      const c = discordCommands().find((x) => x.name === name)!;
      expect(c.options?.find((o) => o.name === 'file')).toMatchObject({ type: 11 });
      expect(c.options?.find((o) => o.name === 'file')).not.toHaveProperty('required', true);
    }
  });

  it('GIVEN DISCORD_CDN_URL or not THEN attachments are read from it alone, else from Discord’s two CDN hosts', () => {
    const base = { DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' };
    expect(parseDiscordEnv(base, [])?.cdnUrls).toEqual(['https://cdn.discordapp.com', 'https://media.discordapp.net']);
    expect(parseDiscordEnv({ ...base, DISCORD_CDN_URL: 'http://127.0.0.1:9' }, [])?.cdnUrls).toEqual(['http://127.0.0.1:9']);
  });

  it('GIVEN /ask with a file THEN the invocation carries it, read from the CDN without the bot token', async () => {
    const h = await startDiscord();
    const seen = record(h);
    const att = h.discord.cdn.add({ name: 'trace.log', content: 'Error: boom', contentType: 'text/plain', channelId: CHANNEL });
    h.discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      userId: USER,
      options: [
        { name: 'question', type: 3, value: 'why does it fail?' },
        { name: 'file', type: 11, value: att.id },
      ],
      resolved: { attachments: { [att.id]: att } },
    });
    await until(() => seen.length === 1);
    const inv = seen[0]!;
    expect(inv.text).toBe('why does it fail?');
    expect(inv.attachments).toEqual([{ id: att.id, name: 'trace.log', declaredType: 'text/plain', size: 11, source: { discordUrl: att.url } }]);
    expect(Buffer.from(await inv.readAttachment!(inv.attachments![0]!, { maxBytes: 100 })).toString()).toBe('Error: boom');
    expect(h.discord.cdn.downloads).toEqual([{ attachmentId: att.id, authorization: undefined }]);
  });

  it('GIVEN files in a Hive thread THEN a follow-up carries its own file and the earlier ones, marked earlier', async () => {
    const h = await startDiscord();
    const { token } = h.discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      userId: USER,
      options: [{ name: 'question', type: 3, value: 'Hi?' }],
    });
    const thread = h.discord.originalMessageId(token);
    await h.discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${thread}/threads`);
    await h.hive.dispatcher.drain();
    const seen = record(h);
    const first = h.discord.cdn.add({ name: 'a.csv', content: 'x,y', channelId: thread });
    const firstId = h.discord.userMessage({ channelId: thread, content: 'look at this', attachments: [first] });
    await until(() => seen.length === 1);
    const second = h.discord.cdn.add({ name: 'b.png', content: 'png', contentType: 'image/png', channelId: thread });
    h.discord.userMessage({ channelId: thread, content: 'and this?', attachments: [second] });
    await until(() => seen.length === 2);
    expect(seen[1]!.attachments?.map((a) => [a.name, a.earlier ?? false])).toEqual([
      ['b.png', false],
      ['a.csv', true],
    ]);
    expect(seen[1]!.attachments![1]!.link).toBe(`https://discord.com/channels/${GUILD}/${thread}/${firstId}`);
    // /ask typed in the thread sees them too.
    h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: thread, userId: USER, options: [{ name: 'question', type: 3, value: 'compare them' }] });
    await until(() => seen.length === 3);
    expect(seen[2]!.attachments?.map((a) => [a.name, a.earlier ?? false])).toEqual([
      ['a.csv', true],
      ['b.png', true],
    ]);
  });

  it('GIVEN a queued job with files THEN the worker’s resume restores them with a CDN reader', async () => {
    const h = await startDiscord();
    const { answerer } = discordWorker(h);
    const att = h.discord.cdn.add({ name: 'spec.pdf', content: '%PDF-1.7', contentType: 'application/pdf' });
    const ref: AttachmentRef = { id: att.id, name: 'spec.pdf', declaredType: 'application/pdf', size: 8, source: { discordUrl: att.url } };
    const address = { kind: 'thread' as const, guildId: GUILD, channelId: CHANNEL, userId: USER, admin: false };
    const job: QueuedJob = {
      id: 'discord:message:1',
      platform: 'discord',
      workspaceId: `discord:${GUILD}`,
      channelId: CHANNEL,
      userId: USER,
      command: 'ask',
      text: 'summarise',
      attachments: [ref],
      ...discordAddressCodec.encode(address),
      enqueuedAt: 0,
    };
    const inv = await answerer.resume(job, { resumed: false, posted: async () => undefined });
    expect(inv.attachments).toEqual([ref]);
    expect(Buffer.from(await inv.readAttachment!(ref, { maxBytes: 100 })).toString()).toBe('%PDF-1.7');
  });

  it('GIVEN a channel with a digest on THEN a message’s files are kept by name, linked to the message, and nothing is downloaded', async () => {
    const h = await startDiscord();
    await digestOn(h);
    const att = h.discord.cdn.add({ name: 'notes.pdf', content: '%PDF', channelId: CHANNEL });
    const id = h.discord.userMessage({ channelId: CHANNEL, content: 'minutes attached', attachments: [att] });
    const row = await untilAsync('the message captured', () => rowOf(h, id));
    expect(splitFileNote(row.text)).toEqual({ text: 'minutes attached', files: [{ name: 'notes.pdf', link: permalinkOf(CHANNEL, id) }] });
    expect(h.discord.cdn.downloads).toEqual([]);
  });

  it('GIVEN a URL off the CDN, a deleted file, a CDN error or a file over the cap THEN forbidden, not_found, download_failed, too_large', async () => {
    const discord = await startFakeDiscord({ guilds: [] });
    const h = { discord };
    const read = createDiscordFileReader([h.discord.cdn.origin]);
    const refOf = (a: { id: string; url?: unknown }, size?: number): AttachmentRef => ({
      id: a.id,
      name: 'f',
      ...(size ? { size } : {}),
      source: { discordUrl: a.url },
    });
    const ok = h.discord.cdn.add({ name: 'f.txt', content: 'x'.repeat(500) });
    const offHost = { id: ok.id, url: String(ok.url).replace('127.0.0.1', 'localhost') };
    expect((await failure(read(refOf(offHost), { maxBytes: 1000 }))).code).toBe('forbidden');
    expect((await failure(read({ id: '1', name: 'f', source: { discordUrl: 'https://evil.example/x' } }, { maxBytes: 1000 }))).code).toBe('forbidden');
    expect(h.discord.cdn.downloads).toEqual([]);
    const gone = h.discord.cdn.add({ name: 'g.txt', content: 'x' });
    h.discord.cdn.fail(gone.id, 'not_found');
    expect((await failure(read(refOf(gone), { maxBytes: 1000 }))).code).toBe('not_found');
    const broken = h.discord.cdn.add({ name: 'b.txt', content: 'x' });
    h.discord.cdn.fail(broken.id, 'server');
    expect((await failure(read(refOf(broken), { maxBytes: 1000 }))).code).toBe('download_failed');
    expect((await failure(read(refOf(ok, 500), { maxBytes: 100 }))).code).toBe('too_large');
    // Reported small, served large: the stream cap still holds.
    expect((await failure(read(refOf(ok, 10), { maxBytes: 100 }))).code).toBe('too_large');
    const slow = h.discord.cdn.add({ name: 's.txt', content: 'xyz' });
    h.discord.cdn.fail(slow.id, 'slow');
    const ctl = new AbortController();
    const pending = read(refOf(slow), { maxBytes: 100, signal: ctl.signal });
    await until(() => h.discord.cdn.downloads.some((d) => d.attachmentId === slow.id));
    ctl.abort();
    expect((await failure(pending)).code).toBe('download_failed');
    await discord.close();
  });
});
