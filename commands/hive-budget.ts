import type { HiveContext } from '../src/command/command.ts';
import { scopesFor, scopeStatus, type ScopeStatus } from '../src/money/budget.ts';
import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import { formatUsd } from '../src/money/footer.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { BudgetSettings, WorkspaceSettings } from '../src/settings/settings.ts';
import { noMoreArgs, parseUsd, requireAdmin } from './admin.ts';
import { readUserArg } from './user-arg.ts';
import type { HiveVerb } from './hive-verb.ts';
import { term } from '../src/shared/platform-terms.ts';

const USAGE = '/hive budget [workspace <usd|off> | channel <usd|off> | user <user> <usd|off> | per-channel <usd|off> | per-user <usd|off> | confirm <usd|off>]';

/** `/hive budget`: monthly caps per workspace, channel and user, and the confirmation threshold. */
export const budgetVerb: HiveVerb = {
  name: 'budget',
  usage: USAGE,
  summary: 'Show or set monthly budgets and the cost that needs confirmation.',
  async run(inv, ctx, args) {
    const [sub = '', ...rest] = args.split(/\s+/).filter(Boolean);
    if (sub === '') return statusReply(inv, ctx);
    await requireAdmin(inv, 'change budgets');
    const user = sub.toLowerCase() === 'user' ? await readUserArg(inv, rest[0], USAGE) : undefined;
    const change = changeFor(sub.toLowerCase(), rest, inv.channelId, user);
    await ctx.settings.update(inv.workspaceId, change.apply);
    return { text: `${change.summary}\n${(await statusReply(inv, ctx)).text}`, visibility: 'private' };
  },
};

interface Change {
  summary: string;
  apply: (s: WorkspaceSettings) => void;
}

const SCOPE_NAMES = {
  workspace: 'The workspace monthly budget',
  'per-channel': 'The monthly budget of every channel without its own',
  'per-user': 'The monthly budget of every user without their own',
} as const;

function changeFor(sub: string, rest: string[], channelId: string, userId: string | undefined): Change {
  const budgets = (s: WorkspaceSettings): BudgetSettings => (s.budgets ??= {});
  if (sub === 'workspace' || sub === 'per-channel' || sub === 'per-user') {
    const v = amount(rest, 0);
    const field = ({ workspace: 'workspaceUsd', 'per-channel': 'perChannelUsd', 'per-user': 'perUserUsd' } as const)[sub];
    return { summary: capSummary(SCOPE_NAMES[sub], v), apply: (s) => void (budgets(s)[field] = v) };
  }
  if (sub === 'channel') {
    const v = amount(rest, 0);
    return {
      summary: capSummary("This channel's own monthly budget", v),
      apply: (s) => void (budgets(s).channels = withEntry(s.budgets?.channels, channelId, v)),
    };
  }
  if (sub === 'user' && userId !== undefined) {
    const v = amount(rest, 1);
    return {
      summary: capSummary(`${term.user(userId)}'s own monthly budget`, v),
      apply: (s) => void (budgets(s).users = withEntry(s.budgets?.users, userId, v)),
    };
  }
  if (sub === 'confirm') {
    const v = amount(rest, 0);
    const summary =
      v === undefined
        ? 'Jobs no longer ask for confirmation, whatever they could cost.'
        : `Jobs that could cost more than ${formatUsd(v)} now ask for confirmation first.`;
    return { summary, apply: (s) => void (s.confirmAboveUsd = v) };
  }
  throw new UserError(`Unknown budget action "${shown(sub)}".\nUsage: ${USAGE}`, 'usage');
}

/** The amount at `rest[i]`, the last argument of every budget action. */
function amount(rest: string[], i: number): number | undefined {
  const v = parseUsd(rest[i], USAGE);
  noMoreArgs(rest.slice(i + 1), USAGE);
  return v;
}

function capSummary(what: string, v: number | undefined): string {
  if (v === undefined) return `${what} is off: no cap.`;
  return `${what} is now ${formatUsd(v)}${v === 0 ? ': every paid call is blocked' : ''}.`;
}

function withEntry(map: Record<string, number> | undefined, k: string, v: number | undefined): Record<string, number> {
  const m = { ...(map ?? {}) };
  if (v === undefined) delete m[k];
  else m[k] = v;
  return m;
}

async function statusReply(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const s = await ctx.settings.get(inv.workspaceId);
  const status = await scopeStatus(ctx.books, scopesFor(inv, s.budgets, ctx.now()));
  const lines = status.map(
    (x) =>
      `• ${x.name === 'workspace' ? 'Workspace' : x.name === 'channel' ? 'This channel' : 'You'}: ${formatUsd(x.spentUsd)} this month${heldText(x.heldUsd)} · ${capText(x)}`,
  );
  const confirm = s.confirmAboveUsd === undefined ? 'off' : formatUsd(s.confirmAboveUsd);
  const own = (await inv.isAdmin()) ? ownBudgetLines(s.budgets) : [];
  return { text: [`*Budgets (UTC month)*`, ...lines, ...own, `• Confirmation above: ${confirm}`].join('\n'), visibility: 'private' };
}

/** How many people or channels with a budget of their own the status lists. */
const OWN_SHOWN = 20;

/** For admins, who and which channels have a budget of their own, by name: members see only theirs. */
function ownBudgetLines(b: BudgetSettings | undefined): string[] {
  const listed = (title: string, m: Record<string, number> | undefined, name: (id: string) => string) => {
    const entries = Object.entries(m ?? {}).sort(([x], [y]) => x.localeCompare(y));
    if (entries.length === 0) return [];
    const named = entries.slice(0, OWN_SHOWN).map(([id, usd]) => `${name(id)} ${formatUsd(usd)}`);
    const more = entries.length > OWN_SHOWN ? ` · and ${entries.length - OWN_SHOWN} more` : '';
    return [`• ${title}: ${named.join(' · ')}${more}`];
  };
  return [...listed('Users with their own budget', b?.users, term.user), ...listed('Channels with their own budget', b?.channels, term.channel)];
}

/** Money held for calls still running (or of a process that stopped mid-call, until its lease ends). */
function heldText(usd: number): string {
  return usd > 0 ? ` (+${formatUsd(usd)} held for unfinished calls)` : '';
}

/** A cap and how much of it is spent; a $0 cap has no percentage, it blocks every paid call. */
export function capText(x: Pick<ScopeStatus, 'capUsd' | 'spentUsd'>): string {
  if (x.capUsd === undefined) return 'no cap';
  if (x.capUsd <= 0) return `cap ${formatUsd(0)} (blocks every paid call)`;
  const pct = Math.round((Math.max(0, x.spentUsd) / x.capUsd) * 100);
  return `cap ${formatUsd(x.capUsd)} (${Number.isFinite(pct) ? pct : 100}%)`;
}
