import { describe, expect, it } from 'vitest';
import { decodeAction, type ActionOffer } from '../../src/chat/answer-actions.ts';
import { APPLICATION_ID, type DiscordRequest, type FakeDiscord } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, MANAGE_GUILD, isCallback, isEdit, isPrivateReply, sentMessage, startDiscord, textOf, vendorAnswer } from './harness.ts';

const ASKER = '300000000000000009';
const ask = (question: string) => ({
  name: 'ask',
  guildId: GUILD,
  channelId: CHANNEL,
  userId: ASKER,
  options: [{ name: 'question', type: 3, value: question }],
});
const IS_COMPONENTS_V2 = 1 << 15;

type Component = { type: number; content?: string; custom_id?: string; label?: string; components?: Component[] };
const componentsOf = (body: Record<string, unknown> | undefined) => (body?.['components'] ?? []) as Component[];
/** Every button of a message body, in order. */
const buttonsOf = (body: Record<string, unknown> | undefined): Component[] => {
  const out: Component[] = [];
  const walk = (c: Component) => (c.type === 2 ? out.push(c) : c.components?.forEach(walk));
  componentsOf(body).forEach(walk);
  return out;
};
const offersOf = (body: Record<string, unknown> | undefined): ActionOffer[] => buttonsOf(body).flatMap((b) => decodeAction(b.custom_id ?? '') ?? []);
const isFinal = (token: string) => (r: DiscordRequest) => isEdit(token)(r) && textOf(r.body).includes('\n-# ');
/** Follow-ups of an interaction (a press's private answers). */
const followUps = (d: FakeDiscord, token: string) => d.requests.filter((r) => r.method === 'POST' && r.path === `/webhooks/${APPLICATION_ID}/${token}`);

async function answered(d: FakeDiscord, question: string) {
  const { token } = d.interaction(ask(question));
  const final = await d.waitFor(isFinal(token));
  const messageId = d.originalMessageId(token);
  return { token, final, messageId, offers: offersOf(final.body) };
}

describe('Discord: answer actions as buttons', () => {
  it('GIVEN /ask THEN the answer is a Components V2 message: the answer, the footer as subtext, and the five buttons, mentions off', async () => {
    const { discord } = await startDiscord();
    const { final, offers } = await answered(discord, 'What is the capital of France?');
    expect(Number(final.body!['flags']) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(final.body).toMatchObject({ content: null, allowed_mentions: { parse: [] } });
    const [container] = componentsOf(final.body);
    expect(container!.type).toBe(17);
    expect(container!.components!.map((c) => c.type)).toEqual([10, 10, 1]);
    expect(container!.components![1]!.content).toMatch(/^-# gpt-6-luna · /);
    expect(offers.map((o) => o.kind)).toEqual(['deeper', 'cheaper', 'consensus', 'helpful', 'unhelpful']);
    expect(buttonsOf(final.body).map((b) => b.label)).toEqual(['Re-run deeper', 'Re-run cheaper', 'Ask consensus', 'Helpful', 'Not helpful']);
  });

  it('GIVEN Re-run deeper pressed THEN the question is answered again on the deep lane in the answer’s thread, once however often it is pressed or delivered', async () => {
    const { discord, vendor } = await startDiscord();
    const { messageId, offers } = await answered(discord, 'What is the capital of France?');
    await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${messageId}/threads`);
    const deeper = offers.find((o) => o.kind === 'deeper')!;
    const calls = () => vendor.requests.filter((r) => r.model).length;
    expect(calls()).toBe(1);
    const press = discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId, customId: `hive.a1:deeper:${deeper.ref}` });
    const ack = await discord.waitFor(isCallback(press.id, press.token));
    expect(ack.body).toMatchObject({ type: 6 }); // deferred update: the answer stays as it is
    discord.redeliver(press.id);
    const rerun = await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${messageId}/messages` && textOf(r.body).includes('\n-# '));
    expect(textOf(rerun.body)).toMatch(/\n-# .* · deep \(/);
    expect(rerun.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const again = discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId, customId: `hive.a1:deeper:${deeper.ref}` });
    const told = await discord.waitFor((r) => followUps(discord, again.token).includes(r));
    expect(told.body).toMatchObject({ flags: 64 });
    expect(textOf(told.body)).toMatch(/already re-run deeper/);
    expect(calls()).toBe(2);
    expect(discord.requests.filter(isCallback(press.id, press.token))).toHaveLength(1);
  });

  it('GIVEN a button that is not Hive’s THEN it is refused privately and nothing runs', async () => {
    const { discord, vendor } = await startDiscord();
    const { messageId } = await answered(discord, 'hi');
    const press = discord.press({ guildId: GUILD, channelId: CHANNEL, messageId, customId: 'other-app:approve' });
    const cb = await discord.waitFor(isCallback(press.id, press.token));
    expect(cb.body).toMatchObject({ type: 4, data: { flags: 64, content: '⚠️ This button is not Hive’s or has expired.' } });
    expect(vendor.requests.filter((r) => r.model)).toHaveLength(1);
  });

  it('GIVEN a job held for confirmation THEN Confirm and Cancel are shown privately, and Confirm runs it once', async () => {
    const { discord, vendor } = await startDiscord();
    const { token: setToken } = discord.interaction({
      name: 'hive',
      guildId: GUILD,
      channelId: CHANNEL,
      permissions: MANAGE_GUILD,
      options: [{ name: 'budget', type: 1, options: [{ name: 'args', type: 3, value: 'confirm 0.000001' }] }],
    });
    const set = await discord.waitFor((r) => r.path.includes(setToken));
    expect(JSON.stringify(set.body)).not.toContain('⚠️');
    const { token } = discord.interaction(ask('An expensive question'));
    const held = sentMessage(await discord.waitFor(isPrivateReply(token)));
    expect(held).toMatchObject({ flags: IS_COMPONENTS_V2 | 64 });
    const offers = offersOf(held);
    expect(offers.map((o) => o.kind)).toEqual(['confirm', 'cancel']);
    const heldId = String(discord.messagesIn(CHANNEL).find((m) => JSON.stringify(m['components']).includes('hive.a1:confirm'))!['id']);
    const confirm = `hive.a1:confirm:${offers[0]!.ref}`;
    const first = discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId: heldId, customId: confirm });
    await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages` && textOf(r.body).includes('\n-# '));
    const second = discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId: heldId, customId: confirm });
    await discord.waitFor((r) => followUps(discord, second.token).includes(r));
    expect(vendor.requests.filter((r) => r.model)).toHaveLength(1);
    expect(first.id).not.toBe(second.id);
  });

  it('GIVEN a slow job THEN its placeholder shows Cancel; pressed, the job stops within 2 s and its reply says what was spent, without the button', async () => {
    vendorAnswer.next = () => ({ text: 'Too late.', usage: { input: 40, output: 3 }, latencyMs: 8_000 });
    const { discord } = await startDiscord({ streamEditMs: 50 });
    const { token } = discord.interaction(ask('A slow question'));
    const placeholder = await discord.waitFor((r) => isEdit(token)(r) && offersOf(r.body).length > 0);
    const [cancel] = offersOf(placeholder.body);
    expect(cancel!.kind).toBe('cancel');
    const press = discord.press({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ASKER,
      messageId: discord.originalMessageId(token),
      customId: `hive.a1:cancel:${cancel!.ref}`,
    });
    const told = await discord.waitFor((r) => followUps(discord, press.token).includes(r));
    expect(told.body).toMatchObject({ flags: 64 });
    const stopped = await discord.waitFor((r) => isEdit(token)(r) && textOf(r.body).includes('Cancelled by'), 3_000);
    // The vendor would answer after 8 s: a reply within the 3 s wait can only be the cancel's.
    expect(textOf(stopped.body)).toMatch(/\n-# (nothing was spent|spent )/);
    expect(buttonsOf(stopped.body)).toEqual([]);
  });

  it('GIVEN Re-run deeper pressed on a slow model THEN a placeholder with its plan and Cancel is posted in the thread; cancelled, it says so, without the button, still Components V2', async () => {
    let calls = 0;
    const { discord } = await startDiscord({
      streamEditMs: 50,
      respond: () => ({ text: 'Slowly.', usage: { input: 40, output: 2 }, ...(++calls > 1 ? { latencyMs: 8_000 } : {}) }),
    });
    const { messageId, offers } = await answered(discord, 'What is the capital of France?');
    await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages/${messageId}/threads`);
    const deeper = offers.find((o) => o.kind === 'deeper')!;
    discord.press({ guildId: GUILD, channelId: CHANNEL, userId: ASKER, messageId, customId: `hive.a1:deeper:${deeper.ref}` });
    const posted = await discord.waitFor((r) => r.method === 'POST' && r.path === `/channels/${messageId}/messages` && offersOf(r.body).length > 0);
    expect(textOf(posted.body)).toMatch(/^-# Working on it · deep lane/);
    expect(Number(posted.body!['flags']) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    const [cancel] = offersOf(posted.body);
    expect(cancel!.kind).toBe('cancel');
    const placeholder = discord.messagesIn(messageId).find((m) => JSON.stringify(m['components']).includes('hive.a1:cancel'))!;
    discord.press({ guildId: GUILD, channelId: messageId, userId: ASKER, messageId: String(placeholder['id']), customId: `hive.a1:cancel:${cancel!.ref}` });
    const isPlaceholderEdit = (r: DiscordRequest) => r.method === 'PATCH' && r.path === `/channels/${messageId}/messages/${String(placeholder['id'])}`;
    // The vendor would answer after 8 s: a reply within the 3 s wait can only be the cancel's.
    const stopped = await discord.waitFor((r) => isPlaceholderEdit(r) && textOf(r.body).includes('Cancelled by'), 3_000);
    expect(Number(stopped.body!['flags']) & IS_COMPONENTS_V2).toBe(IS_COMPONENTS_V2);
    expect(buttonsOf(stopped.body)).toEqual([]);
    expect(discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${messageId}/messages`)).toEqual([posted]);
  });
});
