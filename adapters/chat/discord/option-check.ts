import { ApplicationCommandOptionType as T, type APIApplicationCommandOption, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { RawOption } from './interaction-shape.ts';

/** Hive's registered commands by name: the options each one really has, and their types. */
export type CommandDefinitions = ReadonlyMap<string, readonly APIApplicationCommandOption[]>;

/** The definitions as registered (`discordCommands()`), keyed by command name. */
export function definitionsOf(commands: RESTPostAPIChatInputApplicationCommandsJSONBody[]): CommandDefinitions {
  return new Map(commands.map((c) => [c.name, c.options ?? []]));
}

/** Discord's longest text option. */
const TEXT_MAX = 6000;
const isId = (v: unknown) => typeof v === 'string' && /^\d{1,20}$/.test(v);

/** What each option type's value must be, and how to say it to the person who typed it. */
const VALUES: Record<number, { ok: (v: unknown) => boolean; what: string }> = {
  [T.Subcommand]: { ok: (v) => v === undefined || typeof v === 'string', what: 'a subcommand' },
  [T.SubcommandGroup]: { ok: (v) => v === undefined || typeof v === 'string', what: 'a subcommand group' },
  [T.String]: { ok: (v) => typeof v === 'string' && v.length <= TEXT_MAX, what: 'text' },
  [T.Integer]: { ok: (v) => Number.isSafeInteger(v), what: 'a whole number' },
  [T.Number]: { ok: (v) => typeof v === 'number' && Number.isFinite(v), what: 'a number' },
  [T.Boolean]: { ok: (v) => typeof v === 'boolean', what: 'true or false' },
  [T.User]: { ok: isId, what: 'a member' },
  [T.Channel]: { ok: isId, what: 'a channel' },
  [T.Role]: { ok: isId, what: 'a role' },
  [T.Mentionable]: { ok: isId, what: 'a member or role' },
  [T.Attachment]: { ok: isId, what: 'a file' },
};

/**
 * What is wrong with a command's options, said for the person who typed it (undefined when nothing
 * is): every value of the type its option declares (an object is never text), and, for Hive's own
 * commands, only the options Hive registered, with their types, lengths and choices.
 */
export function optionProblem(command: string, options: readonly RawOption[], defs: CommandDefinitions, autocomplete: boolean): string | undefined {
  return check(`/${command}`, options, defs.get(command), autocomplete);
}

function check(
  where: string,
  options: readonly RawOption[],
  defs: readonly APIApplicationCommandOption[] | undefined,
  autocomplete: boolean,
): string | undefined {
  const names = new Set<string>();
  for (const o of options) {
    if (names.has(o.name)) return `Discord sent the \`${o.name}\` option of \`${where}\` twice.`;
    names.add(o.name);
    const def = defs?.find((d) => d.name === o.name);
    if (defs && !def)
      return `\`${where}\` has no \`${o.name}\` option: this server may have an old copy of Hive’s commands (an admin can register them again).`;
    const type = def?.type ?? o.type;
    const rule = VALUES[type];
    if (!rule || o.type !== type)
      return `The \`${o.name}\` option of \`${where}\` is not the kind Hive registered${rule ? ` (it should be ${rule.what})` : ''}.`;
    const focused = autocomplete && o.focused === true;
    if (focused ? typeof o.value !== 'string' || o.value.length > TEXT_MAX : !rule.ok(o.value))
      return `The \`${o.name}\` option should be ${rule.what}, but Discord sent something else.`;
    const nested = type === T.Subcommand || type === T.SubcommandGroup;
    if (nested && options.length > 1) return `Discord sent \`${where}\` with more than a subcommand.`;
    if (!nested && o.options !== undefined) return `The \`${o.name}\` option came with options of its own.`;
    const problem = nested
      ? check(`${where} ${o.name}`, o.options ?? [], def && 'options' in def ? (def.options ?? []) : undefined, autocomplete)
      : def && !focused
        ? limits(o.name, o.value, def)
        : undefined;
    if (problem) return problem;
  }
  return undefined;
}

/** A text option's registered length and choices (Discord enforces them; a forged event need not). */
function limits(name: string, value: unknown, def: APIApplicationCommandOption): string | undefined {
  if (def.type !== T.String || typeof value !== 'string') return undefined;
  if (def.max_length !== undefined && value.length > def.max_length)
    return `The \`${name}\` option is longer than its ${def.max_length.toLocaleString('en-US')} characters.`;
  const choices = 'choices' in def ? def.choices : undefined;
  if (choices && !choices.some((c) => c.value === value)) return `The \`${name}\` option must be one of ${choices.map((c) => c.name).join(', ')}.`;
  return undefined;
}
