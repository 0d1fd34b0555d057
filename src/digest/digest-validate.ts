import { SECTIONS, type Bullet, type DigestPoints, type TaggedMessage } from './digest-prompt.ts';

/** What validation removed, for the footer and the evidence record. */
export interface Dropped {
  /** Points citing no message, or a message that was not in the input. */
  uncited: number;
  /** Owners not written in any message the point cites. */
  owners: number;
  /** Points past the channel's length cap. */
  overCap: number;
}

const URL_LIKE = /\b(?:https?:\/\/|www\.)\S+|\[[^\]]*\]\([^)]*\)|<[^<>\s]*:[^<>\s]*>/gi;
/** Platform mention syntax (`<!channel>`, `<@U123>`, `<#C1>`, `<@&role>`), never meaningful in a summary. */
const PLATFORM_TOKEN = /<[!@#][^<>]*>/g;
const MENTION = /[@＠](?=\w)/g;

/**
 * Keeps only what the input supports: every cited id must be a message of the input, an owner
 * must be written in one of the cited messages (never inferred), and the text carries no links or
 * mentions (the digest's only links are the source links Hive adds itself).
 */
export function validatePoints(
  points: DigestPoints,
  input: ReadonlyMap<string, TaggedMessage>,
  maxItems: number,
  scrub: (t: string) => string = (t) => t,
): { points: DigestPoints; dropped: Dropped } {
  const dropped: Dropped = { uncited: 0, owners: 0, overCap: 0 };
  const out: DigestPoints = { decisions: [], actions: [], questions: [], threads: [] };
  let kept = 0;
  for (const section of SECTIONS) {
    for (const b of points[section]) {
      const ids = [...new Set(b.ids)];
      if (ids.length === 0 || ids.some((id) => !input.has(id))) {
        dropped.uncited++;
        continue;
      }
      if (kept >= maxItems) {
        dropped.overCap++;
        continue;
      }
      const owner = b.owner && ownerWritten(b.owner, ids, input) ? tidy(b.owner, scrub) : undefined;
      if (b.owner && !owner) dropped.owners++;
      const text = tidy(b.text, scrub);
      if (text === '') {
        dropped.uncited++;
        continue;
      }
      out[section].push({ text, ids, ...(owner ? { owner } : {}) } satisfies Bullet);
      kept++;
    }
  }
  return { points: out, dropped };
}

/** True when the owner's name is written in a cited message (its text or its author). */
function ownerWritten(owner: string, ids: readonly string[], input: ReadonlyMap<string, TaggedMessage>): boolean {
  const name = owner
    .replace(/^[@＠]/, '')
    .trim()
    .toLowerCase();
  if (name.length < 2) return false;
  return ids.some((id) => {
    const m = input.get(id)!;
    return m.text.toLowerCase().includes(name) || m.author.toLowerCase() === name;
  });
}

function tidy(text: string, scrub: (t: string) => string): string {
  return scrub(text).replace(PLATFORM_TOKEN, '').replace(URL_LIKE, '(link removed)').replace(MENTION, '@\u200B').replace(/\s+/g, ' ').trim();
}
