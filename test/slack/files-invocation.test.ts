import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Invocation } from '../../src/chat/invocation.ts';
import type { QueuedJob } from '../../src/chat/queued-job.ts';
import { createSlackAnswerer } from '../../adapters/chat/slack/answerer.ts';
import type { SlackConfig } from '../../adapters/chat/slack/config.ts';
import { slackAddressCodec } from '../../adapters/chat/slack/job-address.ts';
import { slackFileRefs } from '../../adapters/chat/slack/files.ts';
import type { FakeSlackFile } from '../fakes/slack-files.ts';
import { BOT_TOKEN, BOT_USER, CHANNEL, TEAM, USER, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const PDF: FakeSlackFile = { id: 'F0SPEC', name: 'spec.pdf', mimetype: 'application/pdf', content: '%PDF-1.7 fake', channel: CHANNEL, user: USER };
const LOG: FakeSlackFile = { id: 'F0LOG', name: 'trace.log', mimetype: 'text/plain', content: 'Error: boom', channel: CHANNEL, user: USER };

/** The file as the event carries it (Slack's shape, with URLs Hive must never fetch from the event). */
const shared = (f: FakeSlackFile) => ({
  id: f.id,
  name: f.name,
  mimetype: f.mimetype,
  size: String(f.content).length,
  permalink: `https://acme.slack.com/files/${USER}/${f.id}/${f.name}`,
  url_private_download: 'https://evil.example/steal',
});

/** Starts Hive over the fake Slack with these files, and records each invocation instead of running it. */
async function start(files: FakeSlackFile[]): Promise<{ h: Harness; seen: Invocation[] }> {
  h = await startHarness({ slack: { files } });
  const seen: Invocation[] = [];
  vi.spyOn(h.hive.host.dispatcher, 'handle').mockImplementation(async (inv) => void seen.push(inv));
  return { h, seen };
}

const until = async (f: () => boolean) => {
  for (let i = 0; i < 500 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(f()).toBe(true);
};

describe('Slack: files shared with a request', () => {
  it('GIVEN a mention with files THEN the invocation carries them, read with the bot token from Slack’s file host only', async () => {
    const { h, seen } = await start([PDF]);
    const ts = '1700000100.000100';
    await h.event('EvF1', { type: 'app_mention', user: USER, text: `<@${BOT_USER}> summarise`, ts, channel: CHANNEL, team: TEAM, files: [shared(PDF)] });
    await until(() => seen.length === 1);
    const inv = seen[0]!;
    expect(inv.attachments).toEqual([
      {
        id: 'F0SPEC',
        name: 'spec.pdf',
        declaredType: 'application/pdf',
        size: 13,
        link: `https://acme.slack.com/files/${USER}/F0SPEC/spec.pdf`,
        source: { slackFileId: 'F0SPEC' },
      },
    ]);
    const bytes = await inv.readAttachment!(inv.attachments![0]!, { maxBytes: 1000 });
    expect(Buffer.from(bytes).toString()).toBe(PDF.content);
    expect(h.slack.files.downloads).toEqual([{ fileId: 'F0SPEC', token: BOT_TOKEN, authorized: true }]);
  });

  it('GIVEN a thread reply with a file (a file_share) THEN it carries its file and the earlier turn’s, marked earlier', async () => {
    const { h, seen } = await start([PDF, LOG]);
    const root = '1700000200.000100';
    await h.event('EvF2', { type: 'app_mention', user: USER, text: `<@${BOT_USER}> read this`, ts: root, channel: CHANNEL, team: TEAM, files: [shared(PDF)] });
    await until(() => seen.length === 1);
    // Hive answers: the thread's transcript keeps the turn and the files it was asked with.
    await seen[0]!.respond({ text: 'It specifies the API.', visibility: 'channel', footer: 'gpt-6-luna' });
    await until(() => h.slack.of('chat.postMessage').length === 1);
    const reply = { type: 'message', subtype: 'file_share', channel: CHANNEL, channel_type: 'channel', user: USER, text: 'and this log?', team: TEAM };
    await h.event('EvF3', { ...reply, ts: '1700000201.000100', event_ts: '1700000201.000100', thread_ts: root, files: [shared(LOG)] });
    await until(() => seen.length === 2);
    expect(seen[1]!.attachments?.map((a) => [a.name, a.earlier ?? false])).toEqual([
      ['trace.log', false],
      ['spec.pdf', true],
    ]);
  });

  it('GIVEN /ask as a slash command THEN the asker’s files of the last ten minutes in that channel go with it', async () => {
    const old = { ...LOG, id: 'F0OLD', name: 'old.log', created: Math.floor(Date.now() / 1000) - 3600 };
    const theirs = { ...LOG, id: 'F0THEIRS', name: 'theirs.log', user: 'U0OTHER' };
    const { h, seen } = await start([PDF, old, theirs]);
    await h.slash('what does the spec say?');
    await until(() => seen.length === 1);
    const list = h.slack.of('files.list')[0]!;
    expect([list.body.channel, list.body.user, list.token]).toEqual([CHANNEL, USER, BOT_TOKEN]);
    expect(Number(list.body.ts_from)).toBeGreaterThan(0);
    expect(seen[0]!.attachments?.map((a) => a.name)).toEqual(['spec.pdf']);
    await h.slash('keys', { command: '/hive' });
    await until(() => seen.length === 2);
    expect(h.slack.of('files.list')).toHaveLength(1);
  });

  it('GIVEN a queued job with files THEN a worker’s resume restores them, read with the workspace’s bot token', async () => {
    const { h } = await start([PDF]);
    const refs = slackFileRefs([shared(PDF)]);
    const address = { kind: 'thread' as const, teamId: TEAM, channelId: CHANNEL, userId: USER, threadTs: '1700000300.000100', placeholder: true };
    const job: QueuedJob = {
      id: 'slack:event:EvQ1',
      platform: 'slack',
      workspaceId: `slack:${TEAM}`,
      channelId: CHANNEL,
      userId: USER,
      threadId: address.threadTs,
      command: 'ask',
      text: 'summarise',
      attachments: refs,
      ...slackAddressCodec.encode(address),
      enqueuedAt: 0,
    };
    const answerer = createSlackAnswerer({ config: h.hive.config.chat.slack as SlackConfig, host: h.hive.host });
    const inv = await answerer.resume(job, { resumed: false, posted: async () => undefined });
    expect(inv.attachments).toEqual(refs);
    expect(Buffer.from(await inv.readAttachment!(refs[0]!, { maxBytes: 1000 })).toString()).toBe(PDF.content);
    expect(h.slack.files.downloads).toEqual([{ fileId: 'F0SPEC', token: BOT_TOKEN, authorized: true }]);
    await answerer.stop();
  });
});
