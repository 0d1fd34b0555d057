import type { FakeVendor } from '../fakes/fake-vendor.ts';
import { startFakeVendor } from '../fakes/fake-vendor.ts';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import type { FakeCdnFailure, FakeDiscordFile } from '../fakes/discord-cdn.ts';
import { WORKSPACE_KEYS, evidenceIds } from '../slack/file-acceptance.ts';
import { CHANNEL, GUILD, startDiscord, type DiscordHarness } from './harness.ts';

export const ASKER = '300000000000000009';

/** Hive on the fake Discord with keys for OpenAI, Anthropic (the harness's fakes) and Gemini. */
export interface FilesDiscord {
  h: DiscordHarness;
  vendors: { anthropic: FakeVendor; openai: FakeVendor; google: FakeVendor };
  close(): Promise<void>;
}

/** Starts Hive over the fake Discord, every vendor answering `text` without a usage override. */
export async function startFilesDiscord(o: { text?: string; env?: Record<string, string> } = {}): Promise<FilesDiscord> {
  const text = o.text ?? 'A chart and a spec.';
  const google = await startFakeVendor({ vendor: 'google', validKeys: [WORKSPACE_KEYS.google], respond: () => ({ text }) });
  const h = await startDiscord({ anthropic: true, respond: () => ({ text }), env: { GEMINI_BASE_URL: google.url, ...o.env } });
  await h.hive.keys.register(`discord:${GUILD}`, 'google', WORKSPACE_KEYS.google, { verify: false });
  // The harness closes itself after each test; the Gemini fake is this file's to close.
  return { h, vendors: { anthropic: h.anthropic!, openai: h.vendor, google }, close: () => google.close() };
}

/** Every piece of text Hive sent to Discord (replies, edits, follow-ups, thread posts), in order. */
export function saidOnDiscord(discord: FakeDiscord): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const r of discord.requests) if (r.method !== 'GET') walk(r.body);
  return out.join('\n');
}

/** Waits until Discord has been sent `n` answers (distinct evidence ids); resolves with the last one's. */
export async function answers(discord: FakeDiscord, n: number): Promise<string> {
  for (let i = 0; i < 2000 && evidenceIds(saidOnDiscord(discord)).length < n; i++) await new Promise((r) => setTimeout(r, 5));
  const ids = evidenceIds(saidOnDiscord(discord));
  if (ids.length < n) throw new Error(`expected ${n} answers on Discord, saw ${ids.length}:\n${saidOnDiscord(discord).slice(-2000)}`);
  return ids.at(-1)!;
}

/** Waits until something Hive sent to Discord says `text`. */
export async function until(discord: FakeDiscord, text: string): Promise<void> {
  for (let i = 0; i < 2000 && !saidOnDiscord(discord).includes(text); i++) await new Promise((r) => setTimeout(r, 5));
  if (!saidOnDiscord(discord).includes(text)) throw new Error(`Discord was never sent “${text}”:\n${saidOnDiscord(discord).slice(-2000)}`);
}

/** `/ask` with the question and, when given, a file on the fake CDN (served as `fail` says) as its `file` option. */
export function slashAsk(discord: FakeDiscord, channelId: string, question: string, file?: FakeDiscordFile, fail?: FakeCdnFailure): { token: string } {
  const att = file ? discord.cdn.add({ ...file, channelId }) : undefined;
  if (att && fail) discord.cdn.fail(att.id, fail);
  return discord.interaction({
    name: 'ask',
    guildId: GUILD,
    channelId,
    userId: ASKER,
    options: [{ name: 'question', type: 3, value: question }, ...(att ? [{ name: 'file', type: 11, value: att.id }] : [])],
    ...(att ? { resolved: { attachments: { [att.id]: att } } } : {}),
  });
}

/** Asks in `#general` by `/ask` (with `file`, if given) and waits for the answer and the thread Hive opens for it; resolves the thread's id. */
export async function openThread(r: FilesDiscord, question: string, file?: FakeDiscordFile): Promise<string> {
  const { token } = slashAsk(r.h.discord, CHANNEL, question, file);
  const thread = r.h.discord.originalMessageId(token);
  await r.h.discord.waitFor((q) => q.method === 'POST' && q.path === `/channels/${CHANNEL}/messages/${thread}/threads`);
  await answers(r.h.discord, 1);
  await r.h.hive.dispatcher.drain();
  return thread;
}

/** A person's message in a thread with these files attached (each served as `fail` says). */
export function threadMessage(r: FilesDiscord, thread: string, content: string, files: FakeDiscordFile[], fail?: FakeCdnFailure): string {
  const attachments = files.map((f) => r.h.discord.cdn.add({ ...f, channelId: thread }));
  if (fail) for (const a of attachments) r.h.discord.cdn.fail(a.id, fail);
  return r.h.discord.userMessage({ channelId: thread, content, attachments });
}
