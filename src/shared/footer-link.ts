/**
 * How a footer names its evidence record when pages are on: the id as a Markdown link with its
 * address in `<…>` (no link preview on Discord, shown as `id <url>` on the terminal). Only Hive
 * writes this form, and only as the footer's last part, so a platform that renders the footer as
 * plain text can find it there and nowhere else.
 */
export function linkedEvidenceId(id: string, url: string): string {
  return `[${id}](<${url}>)`;
}

const AT_END = /\[([0-9A-HJKMNP-TV-Z]{26})\]\(<(https?:\/\/[^\s<>()]+)>\)$/;

/** A footer split around the evidence link at its end, or undefined when it ends in none. */
export function splitEvidenceLink(footer: string): { before: string; id: string; url: string } | undefined {
  const m = AT_END.exec(footer);
  if (!m) return undefined;
  return { before: footer.slice(0, m.index), id: m[1]!, url: m[2]! };
}
