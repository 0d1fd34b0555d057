import { describe, expect, it } from 'vitest';
import { decodeAction } from '../../src/chat/answer-actions.ts';
import { pngWith, sha256 } from '../e2e/file-helpers.ts';
import type { DiscordRequest } from '../fakes/discord-api.ts';
import { modelCallsOf } from '../slack/file-acceptance.ts';
import { ASKER, slashAsk } from './files-acceptance-harness.ts';
import { CHANNEL, GUILD, isEdit, startDiscord, textOf } from './harness.ts';

/** Every `custom_id` of a message body's buttons (however deep in its components). */
function customIds(body: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const walk = (c: { type?: number; custom_id?: string; components?: unknown[] }) =>
    c.type === 2 && c.custom_id ? out.push(c.custom_id) : c.components?.forEach((x) => walk(x as typeof c));
  for (const c of (body?.['components'] ?? []) as unknown[]) walk(c as Parameters<typeof walk>[0]);
  return out;
}

const isFooter = (r: DiscordRequest) => textOf(r.body).includes('\n-# ');

describe('Discord: a pressed re-run keeps the files its answer read', () => {
  it('GIVEN /ask with a PNG as its file, answered THEN Re-run deeper sends the deep model the same PNG, read again from the CDN', async () => {
    const png = pngWith('rerun-chart-6a90');
    const { discord, vendor, hive } = await startDiscord();
    const { token } = slashAsk(discord, CHANNEL, 'what does the chart show?', { name: 'chart.png', content: png, contentType: 'image/png' });
    const final = await discord.waitFor((r) => isEdit(token)(r) && isFooter(r));
    const messageId = discord.originalMessageId(token);
    await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${messageId}/threads`);
    await hive.dispatcher.drain();
    const deeper = customIds(final.body).find((id) => decodeAction(id)?.kind === 'deeper')!;
    discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId, customId: deeper });
    await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${messageId}/messages` && isFooter(r));
    await hive.dispatcher.drain();
    const [asked, rerun, ...more] = modelCallsOf(vendor);
    expect(more).toEqual([]);
    expect(rerun!.model).not.toBe(asked!.model);
    for (const call of [asked!, rerun!]) expect(call.files.map((f) => [f.kind, f.mediaType, f.sha256])).toEqual([['image', 'image/png', sha256(png)]]);
    // Read again for the re-run from the CDN, without a token: the answer book kept the file's description, never its bytes.
    expect(discord.cdn.downloads.map((d) => d.authorization)).toEqual([undefined, undefined]);
  });
});
