import type { Logger } from '../../../src/shared/log.ts';
import { checkDispatch } from './dispatch-check.ts';
import type { GatewayGuard } from './guarded-strategy.ts';
import type { DispatchVerdict } from './dispatch-check.ts';
import type { Refusal } from './interaction-check.ts';
import { addressable, InteractionKind } from './interaction-shape.ts';
import type { CommandDefinitions } from './option-check.ts';

/** What the guard needs: where to log, Hive's commands as registered, and how a refused interaction is answered. */
export interface GatewayGuardOptions {
  log: Logger;
  defs: CommandDefinitions;
  /** Answers a refused interaction (once: a resumed session may replay it). */
  refuse(r: Refusal): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event's name for the log: Discord's names are capitals and underscores; anything else is shown inert. */
const eventName = (t: unknown) => (typeof t === 'string' ? t.replace(/\W/g, '?').slice(0, 64) : `(${t === null ? 'null' : typeof t})`);

/**
 * Checks every gateway dispatch before discord.js builds it (a malformed one is dropped with a
 * warning, and answered when it is an interaction that can be), and catches whatever discord.js
 * still throws, so no payload can stop the process. Logs never show an interaction's token.
 */
export function createGatewayGuard(o: GatewayGuardOptions): GatewayGuard {
  return {
    admit(packet) {
      const t: unknown = packet?.t;
      let verdict: DispatchVerdict;
      try {
        verdict = checkDispatch(t, packet?.d, o.defs);
      } catch {
        verdict = { ok: false, reason: 'the payload could not be checked' };
      }
      if (verdict.ok) return true;
      if ('quiet' in verdict) {
        o.log.debug({ event: eventName(t) }, 'Discord gateway event skipped: Hive does not use it');
        return false;
      }
      const answered = verdict.refusal ? { interactionId: verdict.refusal.id, answered: true } : { answered: false };
      o.log.warn({ event: eventName(t), reason: verdict.reason, ...answered }, 'Discord gateway event refused before discord.js saw it');
      if (verdict.refusal) o.refuse(verdict.refusal);
      return false;
    },
    contained(event, payload, err) {
      const packet = event === 'dispatch' && isRecord(payload['data']) ? payload['data'] : undefined;
      const d = packet?.['d'];
      const token = isRecord(d) && typeof d['token'] === 'string' ? d['token'] : undefined;
      o.log.warn(
        { event: eventName(packet ? packet['t'] : event), err: withoutSecret(err, token) },
        'discord.js failed on a Discord gateway event; it was dropped and Hive carries on',
      );
      const at = packet?.['t'] === 'INTERACTION_CREATE' ? addressable.safeParse(d) : undefined;
      if (!at?.success) return;
      const answer = at.data.type === InteractionKind.Autocomplete ? 'choices' : 'message';
      o.refuse({ id: at.data.id, token: at.data.token, answer, say: 'Discord sent this in a form Hive could not read. Nothing was run; try again.' });
    },
  };
}

/** The error as logged: its type, message and stack with the interaction's token taken out. */
function withoutSecret(err: unknown, secret: string | undefined): Error {
  const hide = (s: string) => (secret ? s.split(secret).join('••••') : s);
  if (!(err instanceof Error)) return new Error(hide(String(err)));
  const safe = new Error(hide(err.message));
  safe.name = err.name;
  if (err.stack) safe.stack = hide(err.stack);
  return safe;
}
