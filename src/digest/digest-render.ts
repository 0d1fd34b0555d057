import type { Reply, ReplySection } from '../chat/invocation.ts';
import { linkMarker, stripLinkMarkers, type ReplyLink } from '../chat/reply-links.ts';
import type { CapturedFile } from '../chat/capture-event.ts';
import { SECTIONS, type Bullet, type DigestPoints, type SectionName, type TaggedMessage } from './digest-prompt.ts';

const TITLES: Record<SectionName, string> = {
  decisions: 'Decisions',
  actions: 'Action items',
  questions: 'Open questions',
  threads: 'Notable threads',
};

/** A tagged message and where it lives on its platform. */
export interface SourceMessage extends TaggedMessage {
  permalink?: string;
  /** Files shared with it, named (and linked) in the digest, never read. */
  files?: CapturedFile[];
}

/** Files listed under a digest at most; past this, how many more there were. */
const MAX_FILES_LISTED = 15;

/**
 * The digest as a reply: a title line, then each non-empty section's bullets, every bullet ending
 * in links to the messages it cites (labelled by their time), which Hive adds in code.
 */
export function renderDigest(title: string, points: DigestPoints, sources: ReadonlyMap<string, SourceMessage>, footer: string): Reply {
  const links: ReplyLink[] = [];
  const cite = (b: Bullet) =>
    b.ids
      .map((id) => {
        const m = sources.get(id)!;
        if (!m.permalink) return m.time;
        links.push({ label: m.time, url: m.permalink });
        return linkMarker(links.length - 1);
      })
      .join(', ');
  const line = (b: Bullet) => `- ${stripLinkMarkers(b.text)}${b.owner ? ` — owner: ${stripLinkMarkers(b.owner)}` : ''} (${cite(b)})`;
  const sections: ReplySection[] = SECTIONS.filter((k) => points[k].length > 0).map((k) => ({ title: TITLES[k], text: points[k].map(line).join('\n') }));
  const files = filesSection(sources, links);
  if (files) sections.push(files);
  const body = sections.length > 0 ? title : `${title}\nNothing to report: no decisions, tasks or open questions in what was said.`;
  return { text: body, visibility: 'channel', sections, links, footer };
}

/**
 * "Files shared": each file of the day by name, linked where its platform gave a link, with who
 * shared it and when; names are people's text, so any link markers in them are removed.
 */
function filesSection(sources: ReadonlyMap<string, SourceMessage>, links: ReplyLink[]): ReplySection | undefined {
  const all = [...sources.values()].flatMap((m) => (m.files ?? []).map((f) => ({ f, m })));
  if (all.length === 0) return undefined;
  const lines = all.slice(0, MAX_FILES_LISTED).map(({ f, m }) => {
    const name = stripLinkMarkers(f.name);
    if (f.link) links.push({ label: name, url: f.link });
    return `- ${f.link ? linkMarker(links.length - 1) : name} — ${stripLinkMarkers(m.author)}, ${m.time}`;
  });
  const more = all.length - lines.length;
  if (more > 0) lines.push(`- and ${more} more`);
  return { title: 'Files shared', text: lines.join('\n') };
}
