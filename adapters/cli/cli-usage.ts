import { USAGE_PERIOD_FORMS } from '../../commands/usage-period.ts';

/** One verb of the operator CLI: its usage lines, and whether it takes `--workspace`. */
interface VerbUsage {
  lines: string[];
  /** Sub-verbs (`keys set`, `evidence export`), for a refusal that names the ones that exist. */
  subverbs?: string[];
  workspace?: boolean;
  note?: string;
}

const KEY_SOURCE =
  'The key is read from standard input, never from the command line (it would stay in your shell history):\n' +
  '  paste it at the hidden prompt, or pipe it in: hive keys set --vendor openai < key.txt';

/** Every verb's usage; `hive help <verb>` and `hive <verb> --help` print one, `hive help` all of them. */
const VERBS: Record<string, VerbUsage> = {
  keys: {
    lines: [
      'keys set    --workspace <id> --vendor <anthropic|openai|google> [--no-verify] [--force]   (key read from stdin;',
      '            --force: for a workspace Hive has not met yet)',
      'keys list   --workspace <id>',
      'keys test   --workspace <id> --vendor <vendor>',
      'keys remove --workspace <id> --vendor <vendor>',
    ],
    subverbs: ['set', 'list', 'test', 'remove'],
    workspace: true,
    note: KEY_SOURCE,
  },
  evidence: {
    lines: [
      'evidence <id>                                   (prints the record as JSON)',
      'evidence export --since <YYYY-MM-DD> [--workspace <id>]   (JSON lines, oldest first)',
    ],
    workspace: true,
  },
  usage: {
    lines: ['usage [--workspace <id>] [--period <period>] [--json | --csv]   (--csv: one line per call)', `            <period>: ${USAGE_PERIOD_FORMS}`],
    workspace: true,
  },
  'master-key': {
    lines: ['master-key reset --yes [--force]                (the master key is lost: delete what it sealed; --force even if it is not)'],
    subverbs: ['reset'],
  },
  discord: {
    lines: ['discord register [--guild <id>]                 (slash commands: in one server at once, else globally)'],
    subverbs: ['register'],
  },
  serve: { lines: ['serve                                           (chat intake only: jobs go on HIVE_QUEUE_URL for workers)'] },
  worker: { lines: ['worker                                          (runs queued jobs and digests; no chat intake)'] },
};

const WORKSPACES = 'Workspaces: slack:<team_id>, discord:<guild_id>, local (the terminal). Default: local.';

/** The verbs the CLI knows. */
export const CLI_VERBS: readonly string[] = Object.keys(VERBS);

/** The whole CLI's usage: every verb, then how to get one verb's usage and the version. */
export function cliUsage(): string {
  const all = Object.values(VERBS).flatMap((v) => v.lines);
  return [
    'Usage: hive <command>',
    ...all.map((l) => `  ${l}`),
    WORKSPACES,
    'One command: hive help <command> or hive <command> --help. The version: hive --version.',
  ].join('\n');
}

/** One verb's usage (with what it reads and which workspaces exist), or the whole usage for an unknown verb. */
export function verbUsage(verb: string): string {
  const v = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!v) return cliUsage();
  const lines = v.lines.map((l) => (l.startsWith(' ') ? `       ${l}` : `  hive ${l}`));
  return ['Usage:', ...lines, ...(v.note ? [v.note] : []), ...(v.workspace ? [WORKSPACES] : [])].join('\n');
}

/** The sub-verbs of a verb that has them (`keys`: set, list, test, remove). */
export function subverbsOf(verb: string): readonly string[] {
  return (Object.hasOwn(VERBS, verb) ? VERBS[verb]?.subverbs : undefined) ?? [];
}
