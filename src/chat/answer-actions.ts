/**
 * What a person may do with an answer, or with a job still running or held for confirmation. The
 * core offers them on replies and progress notes; a platform renders the ones it can (buttons, typed
 * verbs), and a press comes back as an invocation of the action's verb, so every platform reaches
 * the same core handler.
 */
export type ActionKind = 'deeper' | 'cheaper' | 'consensus' | 'confirm' | 'cancel' | 'helpful' | 'unhelpful';

export const ACTION_KINDS: readonly ActionKind[] = ['deeper', 'cheaper', 'consensus', 'confirm', 'cancel', 'helpful', 'unhelpful'];

/** One action offered on one job: the job's short reference travels with the press, nothing else. */
export interface ActionOffer {
  kind: ActionKind;
  /** The job's reference (see the answer book): the same on every process of the install. */
  ref: string;
}

/** The verb each action runs as: what a press becomes, and what the terminal types (`/deeper 7`). */
export const ACTION_VERBS: Readonly<Record<ActionKind, string>> = {
  deeper: 'deeper',
  cheaper: 'cheaper',
  consensus: 'compare',
  confirm: 'confirm',
  cancel: 'cancel',
  helpful: 'good',
  unhelpful: 'bad',
};

/** A button's words, the same on every platform. */
export const ACTION_LABELS: Readonly<Record<ActionKind, string>> = {
  deeper: 'Re-run deeper',
  cheaper: 'Re-run cheaper',
  consensus: 'Ask consensus',
  confirm: 'Confirm',
  cancel: 'Cancel',
  helpful: 'Helpful',
  unhelpful: 'Not helpful',
};

/** The actions offered on a finished answer, in the order they are shown. */
export const ANSWER_ACTIONS: readonly ActionKind[] = ['deeper', 'cheaper', 'consensus', 'helpful', 'unhelpful'];

/** Votes on an answer (one per person, the latest counts) rather than things that run once. */
export const VOTE_ACTIONS: readonly ActionKind[] = ['helpful', 'unhelpful'];

const PREFIX = 'hive.a1';
const REF = /^[a-z0-9]{6,32}$/;

/**
 * An offer as a button's value or custom id: `hive.a1:<kind>:<ref>`, well inside Discord's 100
 * characters and Slack's 2,000, and nothing a user could not see anyway.
 */
export function encodeAction(offer: ActionOffer): string {
  return `${PREFIX}:${offer.kind}:${offer.ref}`;
}

/** Reads a button's value back; anything not written by `encodeAction` (tampered, another app's) is `undefined`. */
export function decodeAction(value: string): ActionOffer | undefined {
  const [prefix, kind, ref, ...rest] = value.split(':');
  if (prefix !== PREFIX || rest.length > 0 || kind === undefined || ref === undefined) return undefined;
  if (!(ACTION_KINDS as readonly string[]).includes(kind) || !REF.test(ref)) return undefined;
  return { kind: kind as ActionKind, ref };
}

/** What a press becomes: the action's verb, with the job's reference as its text. */
export function pressedCommand(offer: ActionOffer): { command: string; text: string } {
  return { command: ACTION_VERBS[offer.kind], text: offer.ref };
}

/** Whether a reference has the shape the answer book gives out (typed references are checked before any read). */
export function isActionRef(text: string): boolean {
  return REF.test(text);
}
