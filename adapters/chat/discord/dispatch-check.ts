import { DISPATCH_SHAPES } from './dispatch-shapes.ts';
import { checkInteraction, issuesOf, type InteractionVerdict } from './interaction-check.ts';
import type { CommandDefinitions } from './option-check.ts';

/** A dispatch's verdict; a quiet refusal is an event Discord does send that Hive has no use for (logged at debug). */
export type DispatchVerdict = InteractionVerdict | { ok: false; reason: string; quiet: true };

/** The session's own events: READY is read by the gateway library before any check could run, RESUMED carries nothing. */
const SESSION = new Set(['READY', 'RESUMED']);

/** Events Discord sends with Hive's intents that Hive never reads: discord.js need not see them. */
const UNUSED = new Set([
  'THREAD_MEMBER_UPDATE',
  'THREAD_MEMBERS_UPDATE',
  'CHANNEL_PINS_UPDATE',
  'STAGE_INSTANCE_CREATE',
  'STAGE_INSTANCE_UPDATE',
  'STAGE_INSTANCE_DELETE',
  'USER_UPDATE',
  'ENTITLEMENT_CREATE',
  'ENTITLEMENT_UPDATE',
  'ENTITLEMENT_DELETE',
  'APPLICATION_COMMAND_PERMISSIONS_UPDATE',
]);

/**
 * Whether a gateway dispatch may reach discord.js. Only what Hive uses does: interactions,
 * messages, threads, channels, servers and roles, each checked against its shape. Events of
 * intents Hive never asked for (presences, typing, members…) are refused outright: Discord does
 * not send them, and discord.js would build structures from them unchecked.
 */
export function checkDispatch(t: unknown, d: unknown, defs: CommandDefinitions): DispatchVerdict {
  if (typeof t !== 'string') return { ok: false, reason: 'dispatch without an event name' };
  if (t === 'INTERACTION_CREATE') return checkInteraction(d, defs);
  if (SESSION.has(t)) return { ok: true };
  if (UNUSED.has(t)) return { ok: false, reason: 'an event Hive does not use', quiet: true };
  const shape = Object.hasOwn(DISPATCH_SHAPES, t) ? DISPATCH_SHAPES[t] : undefined;
  if (!shape) return { ok: false, reason: 'an event of an intent Hive does not ask for' };
  const parsed = shape.safeParse(d);
  return parsed.success ? { ok: true } : { ok: false, reason: issuesOf(parsed.error) };
}
