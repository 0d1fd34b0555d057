import { escapeControlChars } from '../../../src/shared/control-chars.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { renderLinks, type ReplyLink } from '../../../src/chat/reply-links.ts';
import { renderMentions, type Mention } from '../../../src/shared/platform-terms.ts';
import type { OutMessage } from './message-body.ts';

/** Hive's own links (a digest's sources) as masked links, `<…>` so Discord shows no preview. */
const discordLink = (l: ReplyLink) => `[${l.label.replace(/[[\]]/g, '')}](<${l.url.replace(/[<>\s]/g, encodeURIComponent)}>)`;

/** A person or channel Hive names, as Discord shows it by name; every message sends empty `allowed_mentions`, so no one is pinged. */
const discordMention = (m: Mention) => (m.kind === 'user' ? `<@${m.id}>` : `<#${m.id}>`);

/** Discord's limit for a message's `content`. */
export const DISCORD_MESSAGE_MAX = 2000;

/**
 * What Hive posts on Discord repeats what people typed (their question, a digest's sources) and
 * what a model wrote (which a person can make it repeat): control and bidirectional characters
 * in it are shown as `\x1b`, `\u202e`, as on the terminal, so no text can reorder or hide what a
 * message shows (a reversed link, code that reads other than it runs). Every text Hive sends goes
 * through here.
 */
export const inertText = escapeControlChars;

/**
 * A reply as Discord message contents, each within 2,000 characters: the body (with its sections),
 * the footer as `-# ` subtext (small, and never a link preview: `<…>` suppresses embeds), split on
 * paragraph breaks, then lines, then characters, with an open code fence closed at the end of a
 * part and re-opened at the start of the next.
 */
export function renderDiscordReply(reply: Reply, o: { echoQuestion?: boolean } = {}): string[] {
  const echo = o.echoQuestion && reply.question ? `${quoteLine(reply.question)}\n` : '';
  const body =
    echo + [reply.tone === 'error' ? `⚠️ ${reply.text}` : reply.text, ...(reply.sections ?? []).map((s) => `**${s.title}**\n${s.text}`)].join('\n\n');
  const footer = reply.footer ? `\n-# ${reply.footer.replace(/\n/g, ' ')}` : '';
  return splitMessage(renderMentions(inertText(renderLinks(`${body}${footer}`, reply.links, discordLink)), discordMention));
}

/**
 * A reply as the messages Hive sends: a reply without actions as `renderDiscordReply`'s parts; one
 * with actions has its footer and buttons on its last message (Components V2), so they follow the
 * answer wherever it ends.
 */
export function renderDiscordMessages(reply: Reply, o: { echoQuestion?: boolean } = {}): OutMessage[] {
  const offers = reply.actions ?? [];
  if (offers.length === 0) return renderDiscordReply(reply, o).map((text) => ({ text }));
  const bare: Reply = { ...reply };
  delete bare.footer;
  const parts = renderDiscordReply(bare, o).map((text): OutMessage => ({ text }));
  const footer = reply.footer ? renderMentions(inertText(reply.footer.replace(/\n/g, ' ')), discordMention) : undefined;
  const last = parts.at(-1)!;
  parts[parts.length - 1] = { ...last, ...(footer ? { footer } : {}), offers };
  return parts;
}

/** A streaming answer's deferred reply while it fills in: its start (within one message), or the wait note. */
export function renderPreview(streamed: string, note: string): string {
  if (streamed === '') return `-# ${inertText(note)}…`;
  const text = inertText(streamed);
  return text.length > DISCORD_MESSAGE_MAX - 2 ? `${text.slice(0, DISCORD_MESSAGE_MAX - 2)} …` : `${text} …`;
}

/** Discord's limit for a thread's name. */
const THREAD_NAME_MAX = 100;

/** The name of the thread an answer opens: its question, on one line. */
export const threadName = (question: string | undefined) =>
  inertText(question ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, THREAD_NAME_MAX) || 'Hive';

/** The echoed question is a reminder (and, for a thread's history, the question itself), not a copy. */
export const ECHO_MAX = 300;

/**
 * The question as the answer's first line, quoted: everyone sees what was asked (a slash command's
 * options are not shown to others), and a thread's history read back from Discord has it.
 */
export function quoteLine(question: string): string {
  const flat = inertText(question).replace(/\s+/g, ' ').trim();
  return `> ${flat.length > ECHO_MAX ? `${flat.slice(0, ECHO_MAX)}…` : flat}`;
}

/** Splits text into parts of at most `max` characters, keeping code fences balanced in every part. */
export function splitMessage(text: string, max = DISCORD_MESSAGE_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopen = '';
  while (rest.length > 0) {
    const room = max - reopen.length - 4; // room for a closing "\n```"
    if (reopen.length + rest.length <= max) {
      parts.push(reopen + rest);
      break;
    }
    const cut = cutPoint(rest, room);
    const piece = reopen + rest.slice(0, cut).replace(/\s+$/, '');
    const fence = openFence(piece);
    parts.push(fence === undefined ? piece : `${piece}\n\`\`\``);
    reopen = fence === undefined ? '' : `${fence}\n`;
    rest = rest.slice(cut).replace(/^\n+/, '');
  }
  return parts.length > 0 ? parts : [''];
}

/** Where to cut within `room` characters: the last paragraph break, else line break, else space, else hard. */
function cutPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at > room / 2) return at + sep.length;
  }
  // Never split a surrogate pair.
  return /[\uD800-\uDBFF]/.test(window[room - 1] ?? '') ? room - 1 : room;
}

/** The opening line of a code fence left open at the end of `text` (e.g. "```ts"), if any. */
function openFence(text: string): string | undefined {
  let open: string | undefined;
  for (const line of text.split('\n')) {
    const m = /^\s*(```\S*)/.exec(line);
    if (m) open = open === undefined ? m[1] : undefined;
  }
  return open;
}
