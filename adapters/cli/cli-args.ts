import { parseArgs } from 'node:util';
import { parseVendor } from '../../src/shared/types.ts';
import { VENDORS } from '../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../src/models/vendor-info.ts';
import { CLI_VERBS, cliUsage, subverbsOf, verbUsage } from './cli-usage.ts';
import { cliVersion } from './cli-version.ts';

/** The CLI's options, as node:util's parser reads them. */
const OPTIONS = {
  workspace: { type: 'string' },
  vendor: { type: 'string' },
  'no-verify': { type: 'boolean' },
  period: { type: 'string' },
  json: { type: 'boolean' },
  csv: { type: 'boolean' },
  since: { type: 'string' },
  yes: { type: 'boolean' },
  force: { type: 'boolean' },
  guild: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

export type CliValues = ReturnType<typeof parse>['values'];

/** What the command line asks for: a verb to run, or text to print at once (help, version, a usage error). */
export type CliStart = { run: { values: CliValues; positionals: string[] } } | { print: string; code: number; to: 'stdout' | 'stderr' };

const parse = (argv: string[]) => parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });

/** Reads the command line; help, the version and every usage error are answered before anything opens. */
export function readCliArgs(argv: string[]): CliStart {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) throw e;
    const verb = argv.find((a) => !a.startsWith('-')) ?? '';
    if (e.code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return refuse(`${optionValueError(e.message)}\n${verbUsage(verb)}`);
    const name = unknownOption(argv);
    if (/key|token|secret/i.test(name) || looksLikeKey(name)) return refuse(keyArgument(vendorArg(argv)));
    return refuse(`${/^[A-Za-z][\w-]{0,30}$/.test(name) ? `Unknown option --${name}.` : 'Unknown option.'}\n${verbUsage(verb)}`);
  }
  const { values, positionals } = parsed;
  const [verb, sub] = positionals;
  if (values.version) return { print: `hive ${cliVersion()}`, code: 0, to: 'stdout' };
  if (verb === 'help') return helpFor(sub);
  if (values.help) return { print: verbUsage(verb ?? ''), code: 0, to: 'stdout' };
  if (verb === undefined) return { print: cliUsage(), code: 2, to: 'stdout' };
  if (!CLI_VERBS.includes(verb)) return refuse(`Unknown command: ${shownWord(verb)}.\n${cliUsage()}`);
  const subverbs = subverbsOf(verb);
  if (sub === undefined && (subverbs.length > 0 || verb === 'evidence')) return { print: verbUsage(verb), code: 2, to: 'stdout' };
  if (sub !== undefined && subverbs.length > 0 && !subverbs.includes(sub)) {
    return refuse(`hive ${verb} has no command ${shownWord(sub)}; its commands are ${subverbs.join(', ')}.\n${verbUsage(verb)}`);
  }
  if (verb === 'keys' && positionals.length > 2) return refuse(keysExtra(sub!, positionals.slice(2), values.vendor));
  return { run: { values, positionals } };
}

function refuse(text: string): CliStart {
  return { print: text, code: 2, to: 'stderr' };
}

function helpFor(verb: string | undefined): CliStart {
  if (verb === undefined) return { print: cliUsage(), code: 0, to: 'stdout' };
  if (!CLI_VERBS.includes(verb)) return refuse(`Unknown command: ${shownWord(verb)}.\n${cliUsage()}`);
  return { print: verbUsage(verb), code: 0, to: 'stdout' };
}

/** Whether a word may be a vendor key: a command line holds no key, so it is never repeated back. */
const looksLikeKey = (word: string) => VENDORS.some((v) => VENDOR_INFO[v].keyPattern.test(word)) || /\d.*\d.*\d/.test(word);

/** A word of the command line as a refusal repeats it: only a short, plain word that cannot be a key. */
function shownWord(word: string): string {
  return /^[A-Za-z][\w-]{0,30}$/.test(word) && !looksLikeKey(word) ? `"${word}"` : '(an argument not shown)';
}

/** The name of the first option never defined (`key` for `--key=sk-…`), without its dashes or value. */
function unknownOption(argv: string[]): string {
  const end = argv.indexOf('--');
  const known = new Set([...Object.keys(OPTIONS), 'h', 'v']);
  const name = (a: string) => a.replace(/^--?/, '').split('=')[0]!;
  return name((end < 0 ? argv : argv.slice(0, end)).find((a) => a.startsWith('-') && !known.has(name(a))) ?? '');
}

/** node:util's wording of a missing or unwanted option value, in the words the chat commands use. */
function optionValueError(message: string): string {
  const missing = /^Option '(--[\w-]+)(?: <value>)?' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value.`;
  const unwanted = /^Option '(--[\w-]+)' does not take an argument/.exec(message);
  return unwanted ? `${unwanted[1]} takes no value.` : message;
}

/** The vendor named by `--vendor x` or `--vendor=x`, when the command line could not be parsed. */
function vendorArg(argv: string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--vendor' || a.startsWith('--vendor='));
  return i < 0 ? undefined : argv[i]!.includes('=') ? argv[i]!.split('=')[1] : argv[i + 1];
}

/** `keys <sub>` followed by more words: a key (refused, not repeated), or a vendor given without --vendor. */
function keysExtra(sub: string, extra: string[], vendorFlag: string | undefined): string {
  const vendor = vendorFlag ?? extra.find((w) => parseVendor(w) !== undefined);
  if (sub === 'set' && extra.some((w) => parseVendor(w) === undefined)) return keyArgument(vendor);
  if (vendor && !vendorFlag) return `Name the vendor with --vendor: hive keys ${sub} --vendor ${vendor}\n${verbUsage('keys')}`;
  return `hive keys ${sub} takes no arguments besides its options.\n${verbUsage('keys')}`;
}

/** Why a key on the command line is refused, and how to give it instead; the key itself is never repeated. */
function keyArgument(vendor: string | undefined): string {
  const set = `hive keys set --vendor ${parseVendor(vendor) ?? '<vendor>'}`;
  return [
    'Keys are not taken as command-line arguments: they would stay in your shell history. Nothing was stored.',
    `Run ${set} (and --workspace <id>) and paste the key at the hidden prompt, or pipe it in: ${set} < key.txt`,
    'If that was a real key, delete it from your shell history or rotate it.',
  ].join('\n');
}
