import type { FakeVendor } from '../fakes/fake-vendor.ts';
import type { FakeSlack } from '../fakes/slack-api.ts';
import type { FakeSlackFile } from '../fakes/slack-files.ts';
import { BOT_USER, CHANNEL, KEY, TEAM, USER, startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { registerOtherKeys, startOtherVendors } from './file-acceptance.ts';

/** Hive on the fake Slack with keys for OpenAI (the harness's fake), Anthropic and Gemini. */
export interface FilesHarness {
  h: Harness;
  vendors: { anthropic: FakeVendor; openai: FakeVendor; google: FakeVendor };
  close(): Promise<void>;
}

/** Starts Hive over the fake Slack holding `files`, every vendor answering `text`. */
export async function startFilesHarness(
  files: FakeSlackFile[],
  o: { text?: string; env?: Record<string, string>; socketMode?: boolean } = {},
): Promise<FilesHarness> {
  const text = o.text ?? 'A chart and a spec.';
  const others = await startOtherVendors(text);
  const h = await startHarness({
    keys: { [TEAM]: KEY },
    respond: () => ({ text }),
    slack: { files },
    env: { ...others.env, ...o.env },
    ...(o.socketMode ? ({ socketMode: true } satisfies HarnessOptions) : {}),
  });
  await registerOtherKeys(h.hive, `slack:${TEAM}`);
  return {
    h,
    vendors: { anthropic: others.anthropic, openai: h.vendor, google: others.google },
    async close() {
      await h.close();
      await Promise.all([others.anthropic.close(), others.google.close()]);
    },
  };
}

/** A file the asker shared in the harness's channel, as the fake Slack holds it. */
export const slackFile = (id: string, name: string, mimetype: string, content: Uint8Array): FakeSlackFile => ({
  id,
  name,
  mimetype,
  content,
  channel: CHANNEL,
  user: USER,
});

/** A file as a Slack event carries it (with a URL Hive must never fetch from the event). */
export const eventFile = (f: FakeSlackFile) => ({
  id: f.id,
  name: f.name,
  mimetype: f.mimetype,
  size: typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.length,
  permalink: `https://acme.slack.com/files/${USER}/${f.id}/${f.name}`,
  url_private_download: 'https://evil.example/steal',
});

/** A mention of Hive carrying files. */
export const mentionWith = (ts: string, text: string, files: FakeSlackFile[]) => ({
  type: 'app_mention',
  user: USER,
  text: `<@${BOT_USER}> ${text}`,
  ts,
  event_ts: ts,
  channel: CHANNEL,
  team: TEAM,
  ...(files.length > 0 ? { files: files.map(eventFile) } : {}),
});

/** A reply in a thread Hive answers, carrying files (Slack's `file_share` message). */
export const threadReplyWith = (ts: string, threadTs: string, text: string, files: FakeSlackFile[]) => ({
  type: 'message',
  subtype: 'file_share',
  channel: CHANNEL,
  channel_type: 'channel',
  user: USER,
  text,
  ts,
  event_ts: ts,
  thread_ts: threadTs,
  team: TEAM,
  files: files.map(eventFile),
});

/** Slack's ways of asking Hive with files. */
export type Entry = 'mention' | 'thread reply' | 'slash /ask';
export const ENTRIES: readonly Entry[] = ['mention', 'thread reply', 'slash /ask'];

/**
 * Asks `question` (after the `pin` flag) through one entry with `files`: a mention carrying them, a
 * reply carrying them in a thread Hive answered first, or a slash `/ask` after they were shared.
 */
export async function sendWithFiles(r: FilesHarness, entry: Entry, pin: string, question: string, files: FakeSlackFile[]): Promise<void> {
  const { h } = r;
  const text = `${pin} ${question}`;
  if (entry === 'mention') await h.event('EvFiles1', mentionWith('1700000100.000100', text, files));
  if (entry === 'slash /ask') await h.slash(text);
  if (entry !== 'thread reply') return;
  const root = '1700000200.000100';
  await h.event('EvFiles2', mentionWith(root, `${pin} say hello`, []));
  await h.slack.waitFor(() => /evidence \w{26}/.test(saidOnSlack(h.slack)), 10_000);
  await h.event('EvFiles3', threadReplyWith('1700000201.000100', root, text, files));
}

/** Every piece of text Hive sent to Slack (posts, edits, streams, response URLs), in order. */
export function saidOnSlack(slack: FakeSlack): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const c of slack.calls) if (!c.method.startsWith('files.') && c.method !== 'auth.test') walk(c.body);
  return out.join('\n');
}
