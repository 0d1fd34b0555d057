import { parseVendor } from './types.ts';
import { type Vendor } from './provider-spec.ts';

/**
 * A word a message leaves to the platform it is read on, since the core never asks which one that
 * is: who the admins are, how a command's option is given, how a key is added to this workspace.
 */
export type PlatformTerm = { kind: 'admins' } | { kind: 'option'; flag: string } | { kind: 'add-key'; vendor?: Vendor };

const OPEN = '\uE003';
const CLOSE = '\uE004';
const MARKER = /\uE003(admins|option|add-key):([a-z-]*)\uE004/g;

/** The marker that stands for a term in a message; the dispatcher puts the platform's words in its place. */
export const term = {
  /** Those who may administer the workspace ("workspace admins", "members with Manage Server"). */
  admins: () => `${OPEN}admins:${CLOSE}`,
  /** A command's option, as the user gives it: the flag's name without its dashes (`deep`, `model`). */
  option: (flag: string) => `${OPEN}option:${flag.replace(/^--/, '')}${CLOSE}`,
  /** The way an admin adds a vendor's key to the workspace the message is read in. */
  addKey: (vendor?: Vendor) => `${OPEN}add-key:${vendor ?? ''}${CLOSE}`,
  /** A person, by id: each platform shows them its way (a name where it has one), and never notifies them. */
  user: (id: string) => mentionMarker('user', id),
  /** A channel, by id: each platform shows it its way (a name where it has one). */
  channel: (id: string) => mentionMarker('channel', id),
};

/**
 * A person or channel a message names. Unlike the other terms it is markup (Slack's `<@U…>`), so
 * the dispatcher leaves it and each platform's renderer puts it in after escaping the text.
 */
export interface Mention {
  kind: 'user' | 'channel';
  id: string;
}

const MENTION_ID = /^[A-Za-z0-9]{1,64}$/;
const MENTION = /\uE003(user|channel):([A-Za-z0-9]{1,64})\uE004/g;

/** An id no platform's markup could hold stays as it is: shown, never turned into a mention. */
function mentionMarker(kind: Mention['kind'], id: string): string {
  return MENTION_ID.test(id) ? `${OPEN}${kind}:${id}${CLOSE}` : id;
}

/** Replaces each mention marker with the platform's rendering of it; run after the text is escaped. */
export function renderMentions(text: string, render: (m: Mention) => string): string {
  return text.replace(MENTION, (_m, kind: Mention['kind'], id: string) => render({ kind, id }));
}

/** A lane's reason with a typed flag (`--deep`, `--model`) as an option term, so each platform names it its way. */
export function reasonTerm(reason: string): string {
  return /^--[a-z-]+$/.test(reason) ? term.option(reason) : reason;
}

/** Replaces each term marker with the words `say` gives it; the text is unchanged when it holds none. */
export function replaceTerms(text: string, say: (t: PlatformTerm) => string): string {
  return text.replace(MARKER, (_m, kind: string, arg: string) => {
    if (kind === 'admins') return say({ kind: 'admins' });
    if (kind === 'option') return say({ kind: 'option', flag: arg });
    const vendor = parseVendor(arg);
    return say(vendor ? { kind: 'add-key', vendor } : { kind: 'add-key' });
  });
}
