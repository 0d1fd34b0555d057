/**
 * Links Hive itself adds to a reply (a digest's sources), kept apart from the reply's text: model
 * output is rendered as untrusted (links shown in full, never disguised), while these are known
 * destinations each platform may render natively. The text holds a marker per link.
 */
export interface ReplyLink {
  label: string;
  url: string;
}

const OPEN = '\uE001';
const CLOSE = '\uE002';
const MARKER = /\uE001(\d+)\uE002/g;

/** The marker that stands for `links[index]` in a reply's text. */
export function linkMarker(index: number): string {
  return `${OPEN}${index}${CLOSE}`;
}

/** Removes marker characters from untrusted text, so only Hive's own code can place a link. */
export function stripLinkMarkers(text: string): string {
  return text.replace(/[\uE001\uE002]/g, '');
}

/** Replaces each marker with the platform's rendering of its link (a marker without a link is dropped). */
export function renderLinks(text: string, links: readonly ReplyLink[] | undefined, render: (link: ReplyLink) => string): string {
  return text.replace(MARKER, (_m, i: string) => {
    const link = links?.[Number(i)];
    return link ? render(link) : '';
  });
}
