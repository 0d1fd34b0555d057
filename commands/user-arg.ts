import { shown } from '../src/chat/args.ts';
import type { Invocation } from '../src/chat/invocation.ts';
import { UserError } from '../src/shared/errors.ts';
import { parseUserId } from './admin.ts';

/** How many namesakes a refusal lists by id. */
const NAMESAKES_SHOWN = 5;

/**
 * A user named as a mention, a raw id, or `@name` where the platform can look names up (Slack
 * sends a typed `@bob` as plain text): a name must match exactly one person, never a guess.
 */
export async function readUserArg(inv: Invocation, text: string | undefined, usage: string): Promise<string> {
  if (!text?.startsWith('@')) return ofIdShape(inv, text ?? '', parseUserId(text, usage), usage);
  const name = text.slice(1);
  if (!inv.usersNamed || name === '')
    throw new UserError(`Name a user with a mention or their user id; "${shown(text)}" is neither.\nUsage: ${usage}`, 'usage');
  const ids = await inv.usersNamed(name);
  if (ids.length === 1) return ids[0]!;
  if (ids.length === 0)
    throw new UserError(`No one in this workspace is called ${shown(text)}: check the name, or give their member id.\nUsage: ${usage}`, 'usage');
  const listed = ids.slice(0, NAMESAKES_SHOWN).join(', ');
  throw new UserError(
    `${ids.length} people are called ${shown(text)} (${listed}${ids.length > NAMESAKES_SHOWN ? ', …' : ''}): give the member id of the one you mean.\nUsage: ${usage}`,
    'usage',
  );
}

/** A bare word (`bob`) where the platform's user ids have a shape of their own is a name, never an id: say what to give instead. */
function ofIdShape(inv: Invocation, text: string, id: string, usage: string): string {
  if (!inv.isUserId || inv.isUserId(id)) return id;
  const byName = inv.usersNamed && !text.startsWith('<') ? `@${shown(text)} to find them by name, ` : '';
  throw new UserError(`"${shown(text)}" is not a user id. Give ${byName}a mention, or their user id.\nUsage: ${usage}`, 'usage');
}
