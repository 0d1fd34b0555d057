import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import { retiredRefusal } from '../src/models/model-availability.ts';
import { splitEffort, type PriceCatalogue } from '../src/models/price-catalogue.ts';
import type { HiveContext } from '../src/command/command.ts';
import { unknownModelRefusal } from '../src/models/model-availability.ts';
import { effortProblem } from '../src/models/model-rules.ts';
import { parseModelRef, type ModelRef } from '../src/shared/types.ts';
import { VENDORS } from '../src/shared/provider-spec.ts';

/** What checking a model name needs: the price table in use, and the time (a retirement takes effect on its date). */
export interface ModelCheck {
  catalogue: PriceCatalogue;
  at: Date;
}

/** The check of a command run now, on this Hive's price table. */
export function modelCheck(ctx: Pick<HiveContext, 'catalogue' | 'now'>): ModelCheck {
  return { catalogue: ctx.catalogue, at: ctx.now() };
}

/** Model ids as vendors spell them (`gpt-4o-mini`, `ft:gpt-4o:org::id`), optionally with an effort (`claude-opus-5-5@high`). */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}(@[A-Za-z]{1,16})?$/;

/**
 * `provider:model[@effort]` with a known provider and a plausible model id, or `undefined`. The
 * effort is lower-cased; one the model does not accept, a model the price table does not know (with
 * the nearest current ones named), or one its vendor has retired, is refused here, before any job starts.
 */
export function readModelRef(text: string, check: ModelCheck): ModelRef | undefined {
  const { catalogue, at } = check;
  const ref = parseModelRef(text.trim());
  if (!ref || !MODEL_ID.test(ref.model)) return undefined;
  const { id, effort } = splitEffort(ref.model);
  const normal: ModelRef = { vendor: ref.vendor, model: effort === undefined ? id : `${id}@${effort}` };
  const problem = effortProblem(catalogue, normal.vendor, normal.model);
  if (problem) throw new UserError(`${problem}.`, 'usage');
  const refused = unknownModelRefusal(catalogue, normal, at) ?? retiredRefusal(catalogue, normal, at);
  if (refused) throw refused;
  return normal;
}

/** Reads a `provider:model` argument, refusing anything else with an example and the usage. */
export function parseModelArg(text: string | undefined, what: string, usage: string, check: ModelCheck): ModelRef {
  const ref = text === undefined ? undefined : withUsage(() => readModelRef(text, check), usage);
  if (ref) return ref;
  const got = text === undefined ? '' : ` "${shown(text)}" is not one.`;
  throw new UserError(
    `${what} must be provider:model[@effort], where provider is ${VENDORS.join(', ')} (e.g. openai:gpt-6-luna or anthropic:claude-opus-5-5@high).${got}\nUsage: ${usage}`,
    'usage',
  );
}

/** A refusal of a model (retired, wrong effort) still ends with the command's usage. */
function withUsage<T>(read: () => T, usage: string): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${e.message}\nUsage: ${usage}`, e.code);
    throw e;
  }
}
