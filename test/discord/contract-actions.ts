import { decodeAction, encodeAction, type ActionOffer } from '../../src/chat/answer-actions.ts';
import type { ChatPlatformUnderTest } from '../contracts/chat-adapter.contract.ts';
import type { FakeDiscord } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, isCallback } from './harness.ts';

type Component = { type?: number; custom_id?: string; components?: Component[] };

/** The custom ids of a message body's buttons, in order. */
function customIdsOf(body: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const walk = (c: Component) => (c.type === 2 && c.custom_id ? out.push(c.custom_id) : c.components?.forEach(walk));
  ((body?.['components'] ?? []) as Component[]).forEach(walk);
  return out;
}

/** A person other than the asker, as a snowflake (the contract names them in Slack's style). */
const userIdOf = (id: string | undefined) => (id === undefined ? undefined : /^\d{17,20}$/.test(id) ? id : '300000000000000077');

/**
 * Buttons on Discord, as the shared contract drives them: the offers on every message Hive sent or
 * edited, oldest first, and a press on the message that shows the button now, acknowledged by Discord.
 */
export function discordActions(discord: FakeDiscord): NonNullable<ChatPlatformUnderTest['actions']> {
  const lastPress = new Map<string, string>();
  const whereShown = (id: string) => {
    const channels = new Set([CHANNEL, ...discord.requests.flatMap((r) => /^\/channels\/(\d+)\/messages/.exec(r.path)?.[1] ?? [])]);
    for (const channelId of channels) {
      const message = discord.messagesIn(channelId).findLast((m) => customIdsOf(m).includes(id));
      if (message) return { channelId, messageId: String(message['id']) };
    }
    throw new Error(`no message shows the button ${id}`);
  };
  const press = async (offer: ActionOffer, userId?: string) => {
    const id = encodeAction(offer);
    const who = userIdOf(userId);
    const sent = discord.press({ guildId: GUILD, ...whereShown(id), customId: id, ...(who ? { userId: who } : {}) });
    lastPress.set(id, sent.id);
    await discord.waitFor(isCallback(sent.id, sent.token));
  };
  return {
    offered: () =>
      discord.requests
        .filter((r) => r.method === 'POST' || r.method === 'PATCH')
        .flatMap((r) => customIdsOf(r.body))
        .flatMap((id) => decodeAction(id) ?? [])
        .filter((o, k, all) => all.findIndex((x) => x.kind === o.kind && x.ref === o.ref) === k),
    press,
    // The same interaction delivered again (a gateway replay): claimed once, so nothing answers it twice.
    async repress(offer, userId) {
      const earlier = lastPress.get(encodeAction(offer));
      if (earlier) discord.redeliver(earlier);
      else await press(offer, userId);
    },
  };
}
