import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackFileReader, slackFileRefs } from '../../adapters/chat/slack/files.ts';
import { downloadSlackFile } from '../../adapters/chat/slack/file-download.ts';
import { captureEventOf } from '../../adapters/chat/slack/capture-event.ts';
import { AttachmentReadError, type AttachmentRef } from '../../src/shared/attachment.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import type { FakeSlackFile } from '../fakes/slack-files.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

const BOT_TOKEN = fakeSecret('xoxb-', '1000-2000-filesbottokenabc');
const TEAM = 'T0001';

let slack: FakeSlack | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

const LOG: FakeSlackFile = { id: 'F0LOG', name: 'trace.log', mimetype: 'text/plain', content: 'Error: boom\n  at main (app.ts:1)\n' };
const ref = (id: string, name = 'trace.log'): AttachmentRef => ({ id, name, source: { slackFileId: id } });

async function fake(files: FakeSlackFile[] = [LOG]): Promise<FakeSlack> {
  slack = await startFakeSlack({ workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: 'UBOT', botId: 'BBOT' } }, files });
  return slack;
}

function readerOf(s: FakeSlack, token = BOT_TOKEN) {
  const client = new webApi.WebClient(token, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 } });
  return createSlackFileReader({ auth: async () => ({ client, token }), filesUrl: `${s.origin}/` });
}

async function failure(p: Promise<unknown>): Promise<AttachmentReadError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttachmentReadError);
  return err as AttachmentReadError;
}

describe('Slack files', () => {
  it('GIVEN a message’s files THEN each becomes a ref with its id, name, declared type, size, permalink and file id, tombstones left out', () => {
    const refs = slackFileRefs([
      {
        id: 'F01',
        name: 'spec.pdf',
        mimetype: 'application/pdf',
        size: 2048,
        permalink: 'https://acme.slack.com/files/U1/F01/spec.pdf',
        url_private: 'https://x/evil',
      },
      { id: 'F02', mode: 'tombstone' },
      { id: 'not-a-file-id', name: 'x' },
    ]);
    expect(refs).toEqual([
      {
        id: 'F01',
        name: 'spec.pdf',
        declaredType: 'application/pdf',
        size: 2048,
        link: 'https://acme.slack.com/files/U1/F01/spec.pdf',
        source: { slackFileId: 'F01' },
      },
    ]);
    expect(slackFileRefs([{ id: 'F03', name: 'a.png' }], { earlier: true })[0]).toMatchObject({ earlier: true });
  });

  it('GIVEN a message with files (even without text) THEN the digest capture notes them by name and permalink', () => {
    const c = { workspaceId: `slack:${TEAM}`, botUserId: 'UBOT', botId: 'BBOT' };
    const e = { type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', text: '', ts: '1700000000.000100' };
    const files = [{ id: 'F01', name: 'spec.pdf', permalink: 'https://acme.slack.com/files/U1/F01/spec.pdf' }];
    const captured = captureEventOf({ ...e, files }, c);
    expect(captured?.kind === 'message' && captured.message.files).toEqual([{ name: 'spec.pdf', link: 'https://acme.slack.com/files/U1/F01/spec.pdf' }]);
    expect(captureEventOf(e, c)).toBeUndefined();
  });

  it('GIVEN a shared file THEN it is read through files.info and its private download with the bot token', async () => {
    const s = await fake();
    const bytes = await readerOf(s)(ref('F0LOG'), { maxBytes: 1000 });
    expect(Buffer.from(bytes).toString()).toBe(LOG.content);
    expect(s.of('files.info')[0]!.body.file).toBe('F0LOG');
    expect(s.files.downloads).toEqual([{ fileId: 'F0LOG', token: BOT_TOKEN, authorized: true }]);
  });

  it('GIVEN files.info names a URL off Slack’s file host THEN nothing is downloaded and the read is forbidden', async () => {
    const s = await fake();
    s.files.fail('F0LOG', 'off_host');
    expect((await failure(readerOf(s)(ref('F0LOG'), { maxBytes: 1000 }))).code).toBe('forbidden');
    expect(s.files.downloads).toEqual([]);
  });

  it('GIVEN a token Slack does not accept THEN its HTML sign-in page is a forbidden read, never the file', async () => {
    const s = await fake();
    const url = `${s.origin}/files-pri/${TEAM}-F0LOG/download/trace.log`;
    const d = { url, filesOrigin: s.origin, token: fakeSecret('xoxb-', '9-9-notaworkspacetoken'), name: 'trace.log', declaredType: 'text/plain' };
    expect((await failure(downloadSlackFile(d, { maxBytes: 1000 }))).code).toBe('forbidden');
    expect(s.files.downloads[0]!.authorized).toBe(false);
    expect((await failure(readerOf(s, d.token)(ref('F0LOG'), { maxBytes: 1000 }))).code).toBe('forbidden');
  });

  it('GIVEN a file gone, a file host error or an unknown file THEN not_found, a retryable download_failed, not_found', async () => {
    const s = await fake([LOG, { ...LOG, id: 'F0BAD' }]);
    s.files.fail('F0LOG', 'not_found');
    s.files.fail('F0BAD', 'server');
    expect((await failure(readerOf(s)(ref('F0LOG'), { maxBytes: 1000 }))).code).toBe('not_found');
    const bad = await failure(readerOf(s)(ref('F0BAD'), { maxBytes: 1000 }));
    expect([bad.code, bad.retryable]).toEqual(['download_failed', true]);
    expect((await failure(readerOf(s)(ref('F0NONE'), { maxBytes: 1000 }))).code).toBe('not_found');
  });

  it('GIVEN a file over the cap THEN too_large: before downloading when Slack says so, while streaming when it says less', async () => {
    const s = await fake([
      { id: 'F0BIG', name: 'big.log', content: 'x'.repeat(5000) },
      { id: 'F0GREW', name: 'grew.log', content: 'y'.repeat(5000), reportedSize: 10 },
    ]);
    expect((await failure(readerOf(s)(ref('F0BIG'), { maxBytes: 1000 }))).code).toBe('too_large');
    expect(s.files.downloads).toEqual([]);
    expect((await failure(readerOf(s)(ref('F0GREW'), { maxBytes: 1000 }))).code).toBe('too_large');
  });

  it('GIVEN a download that stalls THEN the reader’s signal ends it as download_failed', async () => {
    const s = await fake();
    s.files.fail('F0LOG', 'slow');
    const ctl = new AbortController();
    const read = readerOf(s)(ref('F0LOG'), { maxBytes: 1000, signal: ctl.signal });
    await s.waitFor(() => s.files.downloads.length === 1);
    ctl.abort();
    expect((await failure(read)).code).toBe('download_failed');
  });

  it('GIVEN a ref that names no Slack file THEN nothing is asked of Slack', async () => {
    const s = await fake();
    expect((await failure(readerOf(s)({ id: 'x', name: 'x', source: { url: 'https://evil.example/x' } }, { maxBytes: 10 }))).code).toBe('not_found');
    expect(s.calls).toHaveLength(0);
  });
});
