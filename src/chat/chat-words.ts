import { replaceTerms, type PlatformTerm } from '../shared/platform-terms.ts';
import type { Vendor } from '../shared/provider-spec.ts';
import { VENDORS } from '../shared/provider-spec.ts';

/**
 * A platform's own words for what the core's messages leave open (see `term`), so a refusal sends
 * each reader the way that works where they read it, never a flag Discord has no box for.
 */
export interface ChatWords {
  /** Those who may administer a workspace, as the platform names them. */
  readonly admins: string;
  /** How a user gives a command's option, from the flag's name (`deep`, `model`). */
  option(flag: string): string;
  /** How an admin adds a vendor's key (or, without a vendor, any key) to this workspace. */
  addKey(workspaceId: string, vendor: Vendor | undefined): string;
}

/** The operator CLI's command that stores a key for a workspace, exactly as `hive` parses it. */
export function cliKeySet(workspaceId: string, vendor: Vendor | undefined): string {
  const command = `\`npm run hive -- keys set --workspace ${workspaceId} --vendor ${vendor ?? VENDORS[1]}\``;
  const others = vendor ? '' : ` (or \`--vendor ${VENDORS.filter((v) => v !== VENDORS[1]).join('` or `--vendor ')}\`)`;
  return `${command}${others}`;
}

/** The words of a chat platform whose commands are typed with flags and that has `/hive keys`'s private form (Slack's). */
export const TYPED_CHAT_WORDS: ChatWords = {
  admins: 'workspace admins',
  option: (flag) => `--${flag}`,
  addKey: (workspaceId, vendor) => `\`/hive keys\` (a private form), or at a shell ${cliKeySet(workspaceId, vendor)}`,
};

/** A message in a platform's words: each term replaced by what `words` says for this workspace. */
export function inWords(text: string, words: ChatWords, workspaceId: string): string {
  return replaceTerms(text, (t: PlatformTerm) => {
    if (t.kind === 'admins') return words.admins;
    if (t.kind === 'option') return words.option(t.flag);
    return words.addKey(workspaceId, t.vendor);
  });
}
