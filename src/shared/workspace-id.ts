/** The terminal's workspace. */
const LOCAL = 'local';

/** A Slack team id (`T…`, or `E…` for an Enterprise Grid org), as Slack sends it; a Discord server id (a snowflake). */
const SHAPES = { slack: /^[TE][A-Z0-9]{1,31}$/, discord: /^\d{17,20}$/ } as const;

type Platform = keyof typeof SHAPES;

/** What a valid workspace id looks like, said the same way wherever one is refused. */
export const WORKSPACE_ID_FORMS =
  'A workspace id is slack:<team id> (T or E, then capital letters and digits, e.g. slack:T0123ABCD), discord:<server id> (17 to 20 digits), or local (the terminal).';

/** A workspace id checked, or the message that says what is wrong, what a valid id looks like and, for a near miss, the likely one. */
export type WorkspaceIdCheck = { ok: true; id: string } | { ok: false; message: string; suggestion?: string };

/** Whether `id` can name a workspace: `slack:<team id>`, `discord:<server id>` or `local`; nothing else is ever stored under. */
export function isWorkspaceId(id: string): boolean {
  if (id === LOCAL) return true;
  const at = id.indexOf(':');
  const platform = id.slice(0, at);
  return at > 0 && (platform === 'slack' || platform === 'discord') && SHAPES[platform].test(id.slice(at + 1));
}

/**
 * Checks an id typed by a person (an operator's `--workspace`), so a typo never stores keys for a
 * workspace that cannot exist: a refusal names what was typed (clipped), suggests the likely id
 * for a near miss (`slak:T123`, `slack:t123`, `T123`), and says what a valid one looks like.
 */
export function checkWorkspaceId(raw: string): WorkspaceIdCheck {
  if (isWorkspaceId(raw)) return { ok: true, id: raw };
  const suggestion = suggestWorkspaceId(raw);
  const what = raw.trim() === '' ? 'An empty workspace id is not a workspace.' : `${shown(raw)} is not a workspace id.`;
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  return { ok: false, message: `${what}${hint} ${WORKSPACE_ID_FORMS}`, ...(suggestion ? { suggestion } : {}) };
}

/** The valid id a near miss most likely meant: the platform spelled nearly right or left out, the team id in the wrong case. */
export function suggestWorkspaceId(raw: string): string | undefined {
  const typed = raw.trim();
  if (typed.toLowerCase() === LOCAL) return LOCAL;
  const at = typed.indexOf(':');
  const rest = at < 0 ? typed : typed.slice(at + 1).trim();
  const platform = at < 0 ? platformOfId(rest) : nearestPlatform(typed.slice(0, at));
  if (!platform) return undefined;
  const candidate = `${platform}:${platform === 'slack' ? rest.toUpperCase() : rest}`;
  return isWorkspaceId(candidate) ? candidate : undefined;
}

/** A platform name within two edits of what was typed (`slak`, `Slack`, `dicsord`). */
function nearestPlatform(typed: string): Platform | undefined {
  const t = typed.trim().toLowerCase();
  if (t.length < 3) return undefined;
  return (['slack', 'discord'] as const).find((p) => editDistance(t, p) <= 2);
}

/** The platform a bare id belongs to by its shape: digits are a Discord server, `T…` with a digit a Slack team. */
function platformOfId(id: string): Platform | undefined {
  if (SHAPES.discord.test(id)) return 'discord';
  return /^[TE](?=.*\d)[A-Z0-9]+$/i.test(id) ? 'slack' : undefined;
}

/** Levenshtein distance: how many single-character edits turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** What was typed, quoted with its control characters escaped, and clipped: an id can be 100,000 characters. */
function shown(raw: string): string {
  return raw.length > 40 ? `${JSON.stringify(raw.slice(0, 40)).slice(0, -1)}…" (${raw.length.toLocaleString('en-US')} characters)` : JSON.stringify(raw);
}
