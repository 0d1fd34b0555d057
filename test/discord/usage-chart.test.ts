import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';
import { SPEND_PNG_SIZE } from '../../adapters/web/spend-png.ts';
import { APPLICATION_ID, type DiscordRequest } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, isCallback, isEdit, startDiscord, textOf, type DiscordHarness, type DiscordHarnessOptions } from './harness.ts';

const ASKER = '300000000000000011';
const EPHEMERAL = 64;

/** One paid answer in #general, so the period has spend to chart. */
async function spend({ discord }: DiscordHarness): Promise<void> {
  const { token } = discord.interaction({
    name: 'ask',
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ASKER,
    options: [
      { name: 'question', type: 3, value: 'what is six times seven' },
      { name: 'model', type: 3, value: 'openai:gpt-6-luna' },
    ],
  });
  await discord.waitFor((r) => isEdit(token)(r) && /evidence \w{26}/.test(textOf(r.body)));
}

/** `/hive usage`: its first response (the table, private) and a matcher for its follow-ups. */
async function usage({ discord }: DiscordHarness) {
  const { id, token } = discord.interaction({
    name: 'hive',
    guildId: GUILD,
    channelId: CHANNEL,
    userId: ASKER,
    options: [{ name: 'usage', type: 1, value: '' }],
  });
  const first = await discord.waitFor(isCallback(id, token));
  const data = first.body?.['data'] as { content?: string; flags?: number };
  const followUp = (r: DiscordRequest) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${token}`;
  return { data, followUp };
}

async function started(o: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
  const h = await startDiscord(o);
  await spend(h);
  return h;
}

describe('Discord: /hive usage posts the spend chart', () => {
  it('GIVEN spend THEN the table as the private first response, then the chart as a private PNG attachment', async () => {
    const h = await started();
    const { data, followUp } = await usage(h);
    expect(data.content).toMatch(/By model[\s\S]*gpt-6-luna/);
    expect(data.flags! & EPHEMERAL).toBe(EPHEMERAL);
    const sent = await h.discord.waitFor((r) => followUp(r) && (r.files?.length ?? 0) > 0, 15_000);
    expect(sent.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(sent.body).toMatchObject({ flags: EPHEMERAL, allowed_mentions: { parse: [] } });
    const [file] = sent.files!;
    expect(file).toMatchObject({ field: 'files[0]', contentType: 'image/png' });
    expect(file!.name).toMatch(/^spend-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.png$/);
    expect(sent.body?.['attachments']).toEqual([{ id: 0, filename: file!.name, description: expect.stringMatching(/^Spend by day .* stacked by vendor$/) }]);
    expect(imageSize(file!.bytes)).toMatchObject({ type: 'png', ...SPEND_PNG_SIZE });
  });

  it('GIVEN the chart cannot be drawn THEN the table still arrives and the failure is logged', async () => {
    const h = await started({ drawSpendChart: () => Promise.reject(new Error('rasteriser broke')) });
    const { data, followUp } = await usage(h);
    expect(data.content).toMatch(/By model/);
    await until(() => h.logs.some((l) => l.includes("could not send a reply's image on Discord") && l.includes('rasteriser broke')));
    expect(h.discord.requests.filter(followUp)).toEqual([]);
  });

  it('GIVEN Discord refuses the attachment THEN the table still arrives and the refusal is logged', async () => {
    const h = await started();
    h.discord.failNext((r) => (r.files?.length ?? 0) > 0, 400, { code: 40005, message: 'Request entity too large' });
    const { data } = await usage(h);
    expect(data.content).toMatch(/By model/);
    await until(() => h.logs.some((l) => l.includes("could not send a reply's image on Discord") && l.includes('Request entity too large')), 15_000);
  });
});

describe('the fake Discord takes multipart messages as Discord does', () => {
  it('GIVEN an attachment naming no file part, or no file at all THEN Invalid Form Body', async () => {
    const h = await startDiscord();
    const post = (parts: [string, string | Blob][]) => {
      const form = new FormData();
      for (const [k, v] of parts) form.append(k, v);
      return fetch(`${h.discord.apiUrl}/v10/webhooks/${APPLICATION_ID}/t0k3n?wait=true`, { method: 'POST', body: form });
    };
    const payload = JSON.stringify({ attachments: [{ id: 1, filename: 'a.png' }] });
    const bad = await post([
      ['payload_json', payload],
      ['files[0]', new Blob([new Uint8Array([1])], { type: 'image/png' })],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 50035 });
    expect((await post([['payload_json', '{}']])).status).toBe(400);
    const ok = await post([
      ['payload_json', JSON.stringify({ attachments: [{ id: 0, description: 'A' }] })],
      ['files[0]', new Blob([new Uint8Array([1, 2])], { type: 'image/png' })],
    ]);
    expect(await ok.json()).toMatchObject({ attachments: [{ size: 2, content_type: 'image/png', description: 'A' }] });
  });
});

async function until(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !ok(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > end) throw new Error('condition not met in time');
}
