import { DISPATCH_SHAPES } from './dispatch-shapes.ts';
import { checkInteraction, issuesOf, type InteractionVerdict } from './interaction-check.ts';
import type { CommandDefinitions } from './option-check.ts';

/** Events whose payload discord.js never reads (RESUMED may come with none). */
const UNREAD = new Set(['RESUMED']);

const isObject = (d: unknown) => typeof d === 'object' && d !== null && !Array.isArray(d);

/**
 * Whether a gateway dispatch may reach discord.js: interactions, messages, threads, channels,
 * servers and roles by their shapes; any other event must at least carry an object, as every
 * dispatch Discord sends does.
 */
export function checkDispatch(t: unknown, d: unknown, defs: CommandDefinitions): InteractionVerdict {
  if (typeof t !== 'string') return { ok: false, reason: 'dispatch without an event name' };
  if (t === 'INTERACTION_CREATE') return checkInteraction(d, defs);
  if (UNREAD.has(t)) return { ok: true };
  const shape = Object.hasOwn(DISPATCH_SHAPES, t) ? DISPATCH_SHAPES[t] : undefined;
  if (!shape) return isObject(d) ? { ok: true } : { ok: false, reason: 'payload is not an object' };
  const parsed = shape.safeParse(d);
  return parsed.success ? { ok: true } : { ok: false, reason: issuesOf(parsed.error) };
}
