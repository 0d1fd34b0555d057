import type { z } from 'zod';
import { KEY_FORM_ID } from './key-form.ts';
import { addressable, commandData, componentData, interactionBase, InteractionKind, modalData, type RawOption } from './interaction-shape.ts';
import { decodeAction } from '../../../src/chat/answer-actions.ts';
import { NOT_OURS } from './conventions.ts';
import { optionProblem, type CommandDefinitions } from './option-check.ts';

/** How a refused interaction is answered on Discord: a private message, or (autocomplete) no suggestions. */
export interface Refusal {
  id: string;
  token: string;
  answer: 'message' | 'choices';
  say: string;
}

/** An interaction fit for discord.js and Hive, or why not (for the log) and, when it can be answered, what to tell its user. */
export type InteractionVerdict = { ok: true } | { ok: false; reason: string; refusal?: Refusal };

const CHAT_INPUT = 1;
const TEXT_INPUT = 4;
const STRING_SELECT = 3;
const AFTER = ' Nothing was run; try again.';

/**
 * Checks an INTERACTION_CREATE payload before discord.js builds it: the shape of everything it
 * reads (ids, permissions, lists), then what Hive reads (options against its registered commands,
 * its form's fields). An interaction with a usable id and token is answered with the reason.
 */
export function checkInteraction(d: unknown, defs: CommandDefinitions): InteractionVerdict {
  const at = addressable.safeParse(d);
  const refuse = (reason: string, say: string, final = false): InteractionVerdict => {
    if (!at.success) return { ok: false, reason };
    const answer = at.data.type === InteractionKind.Autocomplete ? 'choices' : 'message';
    return { ok: false, reason, refusal: { id: at.data.id, token: at.data.token, answer, say: final ? say : `${say}${AFTER}` } };
  };
  const base = interactionBase.safeParse(d);
  if (!base.success) return refuse(issuesOf(base.error), sayFor(base.error));
  const { type, data } = base.data;
  if (type === InteractionKind.Command || type === InteractionKind.Autocomplete) {
    const command = commandData.safeParse(data);
    if (!command.success) return refuse(issuesOf(command.error, 'data'), sayFor(command.error, 'data'));
    const c = command.data;
    if (c.type !== CHAT_INPUT) return refuse('not a slash command', 'Hive has slash commands only (`/ask`, `/consensus`, `/digest`, `/hive`).');
    const options: RawOption[] = c.options ?? [];
    if (type === InteractionKind.Autocomplete && focusedCount(options) !== 1)
      return refuse('autocomplete without one focused option', 'Discord did not say which option is being typed.');
    const problem = optionProblem(c.name, options, defs, type === InteractionKind.Autocomplete);
    return problem ? refuse(`options of /${c.name}: ${problem}`, problem) : { ok: true };
  }
  if (type === InteractionKind.ModalSubmit) return checkForm(data, refuse);
  if (base.data.message !== undefined && type !== InteractionKind.Component)
    return refuse('a message on an interaction that is not a button', 'Discord sent this with a message it should not carry.');
  if (type === InteractionKind.Component) {
    const press = componentData.safeParse(data);
    if (!press.success || !decodeAction(press.data.custom_id) || base.data.message === undefined) return refuse('not one of Hive’s buttons', NOT_OURS, true);
    return { ok: true };
  }
  return refuse(`interaction type ${type}`, 'Hive does not know this kind of interaction.');
}

/** A submitted form: Hive's key form, with its vendor list and its key field. */
function checkForm(data: unknown, refuse: (reason: string, say: string) => InteractionVerdict): InteractionVerdict {
  const form = modalData.safeParse(data);
  if (!form.success) return refuse(issuesOf(form.error, 'data'), sayFor(form.error, 'data'));
  if (form.data.custom_id !== KEY_FORM_ID) return refuse('not Hive’s form', 'This form is not Hive’s.');
  const inputs = form.data.components.flatMap((row) => [...(row.components ?? []), ...(row.component ? [row.component] : [])]);
  const has = (id: string, type: number) => inputs.some((i) => i.custom_id === id && i.type === type);
  if (!has('vendor', STRING_SELECT) || !has('key', TEXT_INPUT))
    return refuse('key form without its fields', 'The key form arrived without its vendor or key field, so nothing was stored.');
  return { ok: true };
}

function focusedCount(options: readonly RawOption[]): number {
  return options.reduce((n, o) => n + (o.focused === true ? 1 : 0) + focusedCount(o.options ?? []), 0);
}

/** A field's path, as a payload's keys may be anything: word characters only, and short. */
const pathOf = (path: readonly PropertyKey[], prefix?: string) =>
  [...(prefix ? [prefix] : []), ...path.map((k) => String(k).replace(/[^\w]/g, '?').slice(0, 32))].join('.') || 'payload';

/** Where the payload is wrong, for the log: paths and zod's messages (which never quote a value). */
export function issuesOf(e: z.ZodError, prefix?: string): string {
  return e.issues
    .slice(0, 3)
    .map((i) => `${pathOf(i.path, prefix)}: ${i.message}`)
    .join('; ');
}

/** What the person is told, in Discord's terms, from the first thing wrong. */
function sayFor(e: z.ZodError, prefix?: string): string {
  const path = pathOf(e.issues[0]?.path ?? [], prefix).split('.');
  const [top, next] = path;
  if (top === 'app_permissions' || (top === 'member' && next === 'permissions'))
    return 'Discord sent your permissions in this server in a form Hive cannot read, so Hive cannot check what you may do.';
  if (top === 'data' && (next === undefined || next === 'name' || next === 'type' || next === 'id'))
    return 'Discord sent this command without a name or type Hive can read, so Hive cannot tell what to run.';
  if (top === 'data' && next === 'options') return 'Discord sent this command’s options in a form Hive cannot read.';
  if (['guild_id', 'channel_id', 'channel', 'user', 'member'].includes(top ?? ''))
    return 'Discord sent this with a server, channel or member Hive cannot read, so Hive cannot tell who asked where.';
  return `Discord sent this in a form Hive cannot read (\`${path.join('.')}\`).`;
}
