import type { SlackDeps } from './deps.ts';
import { createPlaceholderResponder, type Responder, type ResponderOptions } from './placeholder-responder.ts';
import { createStreamResponder } from './stream-responder.ts';

export type { Responder, ResponderOptions } from './placeholder-responder.ts';
export { slackErrorCode } from './slack-error.ts';

/**
 * Delivers one job's answer: as a native stream where the workspace has them (stream-responder.ts),
 * else with a placeholder the answer replaces (placeholder-responder.ts). Kept apart from both so
 * neither imports the other's chooser.
 */
export function createResponder(deps: SlackDeps, o: ResponderOptions): Responder {
  if (o.stream && o.placeholder && !o.recorded?.existingTs && deps.streams.allows(o.stream.teamId, 'stream')) return createStreamResponder(deps, o);
  return createPlaceholderResponder(deps, o);
}
