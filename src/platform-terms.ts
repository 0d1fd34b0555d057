import { parseVendor, type Vendor } from './types.ts';

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
};

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
