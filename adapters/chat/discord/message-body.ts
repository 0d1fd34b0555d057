import { ButtonStyle, ComponentType, MessageFlags } from 'discord.js';
import { ACTION_LABELS, encodeAction, type ActionKind, type ActionOffer } from '../../../src/chat/answer-actions.ts';
import { NO_MENTIONS } from './conventions.ts';

/**
 * One Discord message Hive sends: its text (within 2,000 characters, see render.ts), and for a
 * message with buttons its footer and the offers. A message with offers is a Components V2
 * message; one without is plain `content`, as every message was before buttons.
 */
export interface OutMessage {
  text: string;
  /** The footer (model, cost, evidence), without its `-# `: shown as small text under the answer. */
  footer?: string;
  /** Buttons, one row (at most five: an answer offers five, a held job two). */
  offers?: readonly ActionOffer[];
  /** Rendered as Components V2 even without offers: a message once sent so can never go back to `content`. */
  v2?: boolean;
}

/**
 * Discord's limits for a Components V2 message (discord-api-docs, components/reference; a Text
 * Display's content is checked at 4,000 by @discordjs/builders): all text displays together at most
 * 4,000 characters, at most 40 components in all, five buttons to a row, a label of 80.
 */
export const V2_TEXT_MAX = 4000;
const ROW_MAX = 5;

/** Votes as emoji buttons (with their words, for screen readers and clarity). */
const EMOJI: Partial<Record<ActionKind, string>> = { helpful: '👍', unhelpful: '👎' };
const STYLE: Partial<Record<ActionKind, ButtonStyle>> = { confirm: ButtonStyle.Success, cancel: ButtonStyle.Danger };

/** The buttons of one message: each one's custom id is `encodeAction(offer)`, read back by press.ts. */
export function buttonRow(offers: readonly ActionOffer[]) {
  return {
    type: ComponentType.ActionRow,
    components: offers.slice(0, ROW_MAX).map((o) => ({
      type: ComponentType.Button,
      style: STYLE[o.kind] ?? ButtonStyle.Secondary,
      custom_id: encodeAction(o),
      label: ACTION_LABELS[o.kind],
      ...(EMOJI[o.kind] ? { emoji: { name: EMOJI[o.kind] } } : {}),
    })),
  };
}

/** Whether a message goes as Components V2. */
export const isV2 = (m: OutMessage) => m.v2 === true || (m.offers?.length ?? 0) > 0;

/**
 * A message's REST body: `content`, or (V2) one container holding the text, the footer as `-# `
 * subtext and the buttons. An edit that turns a message into V2 clears `content` and `embeds`, as
 * Discord requires. Mentions are off on every create and every edit.
 */
export function messageBody(m: OutMessage, o: { edit?: boolean; ephemeral?: boolean } = {}): Record<string, unknown> {
  const ephemeral = o.ephemeral ? MessageFlags.Ephemeral : 0;
  if (!isV2(m)) return { content: m.text, allowed_mentions: NO_MENTIONS, ...(ephemeral ? { flags: ephemeral } : {}) };
  const footer = m.footer ? `-# ${m.footer}`.slice(0, V2_TEXT_MAX - m.text.length) : '';
  const texts = [m.text, footer].filter((t) => t.trim() !== '').map((content) => ({ type: ComponentType.TextDisplay, content }));
  const rows = m.offers && m.offers.length > 0 ? [buttonRow(m.offers)] : [];
  const inner = texts.length + rows.length > 0 ? [...texts, ...rows] : [{ type: ComponentType.TextDisplay, content: '…' }];
  return {
    flags: MessageFlags.IsComponentsV2 | ephemeral,
    components: [{ type: ComponentType.Container, components: inner }],
    allowed_mentions: NO_MENTIONS,
    ...(o.edit ? { content: null, embeds: [] } : {}),
  };
}

/** A message's text as people read it: `content`, or its text displays in order (a thread's history reads Hive's answers back so). */
export function textOfComponents(components: readonly unknown[]): string {
  const out: string[] = [];
  const walk = (c: unknown) => {
    if (typeof c !== 'object' || c === null) return;
    const r = c as { type?: unknown; content?: unknown; components?: unknown };
    if (r.type === ComponentType.TextDisplay && typeof r.content === 'string') out.push(r.content);
    if (Array.isArray(r.components)) r.components.forEach(walk);
  };
  components.forEach(walk);
  return out.join('\n');
}
