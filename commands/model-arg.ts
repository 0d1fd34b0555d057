import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/errors.ts';
import { VENDORS, parseModelRef, type ModelRef } from '../src/types.ts';

/** Model ids as vendors spell them (`gpt-4o-mini`, `ft:gpt-4o:org::id`, `claude-opus-4-1@high`); nothing else is stored. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

/** `provider:model` with a known provider and a plausible model id, or `undefined`. */
export function readModelRef(text: string): ModelRef | undefined {
  const ref = parseModelRef(text);
  return ref && MODEL_ID.test(ref.model) ? ref : undefined;
}

/** Reads a `provider:model` argument, refusing anything else with an example and the usage. */
export function parseModelArg(text: string | undefined, what: string, usage: string): ModelRef {
  const ref = text === undefined ? undefined : readModelRef(text);
  if (ref) return ref;
  const got = text === undefined ? '' : ` "${shown(text)}" is not one.`;
  throw new UserError(`${what} must be provider:model, where provider is ${VENDORS.join(', ')} (e.g. openai:gpt-4o-mini).${got}\nUsage: ${usage}`, 'usage');
}
