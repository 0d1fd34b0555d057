import { imageSize } from 'image-size';
import { afterEach, describe, expect, it } from 'vitest';
import { SPEND_PNG_SIZE } from '../../adapters/web/spend-png.ts';
import { blockTexts, BOT_TOKEN, KEY, TEAM, USER, startHarness, type Harness, type HarnessOptions } from './harness.ts';

const CHANNEL = 'C0001';
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function start(o: Pick<HarnessOptions, 'hive'> = {}): Promise<Harness> {
  return startHarness({ keys: { [TEAM]: KEY }, slack: { members: { [CHANNEL]: [USER] } }, ...o });
}

/** One paid answer in the channel, so the period has spend to chart. */
async function spend(h: Harness): Promise<void> {
  await h.slash('--model openai:gpt-6-luna what is six times seven', { channelId: CHANNEL });
  await h.slack.waitFor(() => h.slack.of('chat.postMessage').length > 0);
}

/** Runs `/hive usage` and returns its private text (the `response_url` post). */
async function usage(h: Harness): Promise<string> {
  const url = h.slack.responseUrl('usage');
  await h.slash('usage', { command: '/hive', channelId: CHANNEL, responseUrl: url });
  await h.slack.waitFor(() => h.slack.of('response_url').some((c) => c.path === new URL(url).pathname));
  const r = h.slack.of('response_url').find((c) => c.path === new URL(url).pathname)!;
  expect(r.body.response_type).toBe('ephemeral');
  return [String(r.body.text ?? ''), ...blockTexts(r.body)].join('\n');
}

const logged = (h: Harness, words: string) => h.logs.some((l) => l.includes(words));

describe('Slack: /hive usage posts the spend chart', () => {
  it('GIVEN spend THEN the table privately, and the chart as a PNG shared in the asker’s DM with Hive', async () => {
    h = await start();
    await spend(h);
    expect(await usage(h)).toMatch(/By model[\s\S]*gpt-6-luna/);
    await h.slack.waitFor(() => h!.slack.uploads.shared().length === 1, 15_000);
    expect(h.slack.of('conversations.open').map((c) => c.body.users)).toEqual([USER]);
    const [file] = h.slack.uploads.shared();
    expect(file).toMatchObject({ channel: h.slack.uploads.dmOf(USER), completed: true });
    expect(file!.filename).toMatch(/^spend-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.png$/);
    expect(file!.title).toMatch(/^Spend by day .* stacked by vendor$/);
    expect(file!.altText).toBe(file!.title);
    expect(file!.bytes!.length).toBe(file!.length);
    expect(imageSize(file!.bytes!)).toMatchObject({ type: 'png', ...SPEND_PNG_SIZE });
    expect(file!.threadTs).toBeUndefined();
  });

  it('GIVEN the chart cannot be drawn THEN the table still arrives and the failure is logged', async () => {
    h = await start({ hive: { drawSpendChart: () => Promise.reject(new Error('rasteriser broke')) } });
    await spend(h);
    expect(await usage(h)).toMatch(/By model/);
    await h.slack.waitFor(() => logged(h!, "could not share a reply's image on Slack"));
    expect(logged(h, 'rasteriser broke')).toBe(true);
    expect(h.slack.of('files.getUploadURLExternal')).toEqual([]);
  });

  it('GIVEN Slack refuses the upload THEN the table still arrives and the refusal is logged with what to do', async () => {
    h = await start();
    h.slack.script('files.completeUploadExternal', { body: { ok: false, error: 'missing_scope' } });
    await spend(h);
    expect(await usage(h)).toMatch(/By model/);
    await h.slack.waitFor(() => logged(h!, 'reinstall the app to grant files:write'), 15_000);
    expect(h.slack.uploads.shared()).toEqual([]);
  });
});

describe('the fake Slack checks uploads as Slack does', () => {
  it('GIVEN missing arguments THEN invalid_arguments; GIVEN bytes not yet posted THEN file_not_found; then shared', async () => {
    h = await start();
    const post = async (method: string, body: Record<string, string>) => {
      const headers = { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' };
      const r = await fetch(`${h!.slack.apiUrl}${method}`, { method: 'POST', headers, body: new URLSearchParams(body) });
      return (await r.json()) as Record<string, unknown>;
    };
    expect(await post('files.getUploadURLExternal', { filename: 'a.png' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await post('files.getUploadURLExternal', { length: '3' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    const { file_id: id, upload_url: url } = await post('files.getUploadURLExternal', { filename: 'a.png', length: '3' });
    const files = JSON.stringify([{ id, title: 'A' }]);
    expect(await post('files.completeUploadExternal', { channel_id: CHANNEL })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await post('files.completeUploadExternal', { files, channel_id: CHANNEL })).toMatchObject({ ok: false, error: 'file_not_found' });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'a.png');
    expect((await fetch(String(url), { method: 'POST', body: form })).status).toBe(200);
    expect(await post('files.completeUploadExternal', { files, thread_ts: '1.2' })).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(await post('files.completeUploadExternal', { files, channel_id: CHANNEL })).toMatchObject({ ok: true });
    expect(h.slack.uploads.shared()).toMatchObject([{ id, title: 'A', channel: CHANNEL, bytes: new Uint8Array([1, 2, 3]) }]);
    expect(await post('conversations.open', {})).toMatchObject({ ok: false, error: 'users_list_not_supplied' });
  });
});
