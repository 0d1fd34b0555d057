/** Slack's message limits (docs.slack.dev/reference/block-kit), with a margin where Slack is vaguer. */
export const SLACK_LIMITS = {
  /** Characters of mrkdwn in one section block. */
  sectionChars: 3000,
  /** Blocks in one message. */
  blocks: 50,
  /** Characters of a message's `text` (Slack truncates beyond it). */
  textChars: 40_000,
  /** Characters of block text per message; Slack refuses long block sets (`msg_blocks_too_long`) near 13k. */
  messageBlockChars: 12_000,
  /** Characters of mrkdwn in one context element. */
  contextChars: 2000,
} as const;

const FENCE_OPEN = '```\n';
const FENCE_CLOSE = '\n```';

/**
 * Splits mrkdwn into pieces of at most `max` characters, preferring paragraph, then line, then word
 * boundaries; a code block cut in two is closed and reopened so both halves still render as code.
 */
export function splitMrkdwn(text: string, max: number = SLACK_LIMITS.sectionChars): string[] {
  const out: string[] = [];
  let rest = text;
  let open = false;
  while (rest.length > 0) {
    const prefix: string = open ? FENCE_OPEN : '';
    if (prefix.length + rest.length <= max) {
      out.push(prefix + rest);
      break;
    }
    const cut = findCut(rest, max - prefix.length - FENCE_CLOSE.length);
    const piece: string = prefix + rest.slice(0, cut).replace(/\n+$/, '');
    rest = rest.slice(cut).replace(/^\n+/, '');
    open = countFences(piece) % 2 === 1;
    out.push(open ? piece + FENCE_CLOSE : piece);
  }
  return out.filter((p) => p.trim().length > 0);
}

function countFences(s: string): number {
  return s.split('```').length - 1;
}

/** The best place to cut within `budget` characters, never inside an entity, a `<link>` or a surrogate pair. */
function findCut(s: string, budget: number): number {
  const window = s.slice(0, budget);
  const para = window.lastIndexOf('\n\n');
  const line = window.lastIndexOf('\n');
  const space = window.lastIndexOf(' ');
  let cut = budget;
  if (para > budget * 0.5) cut = para + 1;
  else if (line > budget * 0.3) cut = line + 1;
  else if (space > budget * 0.3) cut = space + 1;
  return safeCut(s, cut);
}

function safeCut(s: string, at: number): number {
  let cut = at;
  const amp = s.lastIndexOf('&', cut - 1);
  if (amp >= 0 && amp > cut - 8 && !s.slice(amp, cut).includes(';')) cut = amp;
  const lt = s.lastIndexOf('<', cut - 1);
  if (lt > 0 && lt > s.lastIndexOf('>', cut - 1)) cut = lt;
  const code = s.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return Math.max(1, cut);
}

/** Cuts plain text to `max` characters with an ellipsis, for fields that must stay short. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1)}…`;
}

function safeSlice(text: string, n: number): string {
  const cut = safeCut(text, n);
  return text.slice(0, cut);
}

/**
 * Groups blocks into messages: at most 50 blocks and `messageBlockChars` of text each, so a long
 * answer becomes a first message plus continuations in its thread.
 */
export function groupBlocks<B>(blocks: readonly B[], size: (b: B) => number): B[][] {
  const messages: B[][] = [];
  let current: B[] = [];
  let chars = 0;
  for (const b of blocks) {
    const n = size(b);
    if (current.length > 0 && (current.length >= SLACK_LIMITS.blocks || chars + n > SLACK_LIMITS.messageBlockChars)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(b);
    chars += n;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}
