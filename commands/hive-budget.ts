import type { HiveContext } from '../src/command.ts';
import { scopesFor, scopeStatus } from '../src/budget.ts';
import { UserError } from '../src/errors.ts';
import { formatUsd } from '../src/footer.ts';
import type { Invocation, Reply } from '../src/invocation.ts';
import type { BudgetSettings, WorkspaceSettings } from '../src/settings.ts';
import { parseUsd, parseUserId, requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive.ts';

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
    const change = changeFor(sub.toLowerCase(), rest, inv.channelId);
    await ctx.settings.update(inv.workspaceId, change.apply);
    return { text: `${change.summary}\n${(await statusReply(inv, ctx)).text}`, visibility: 'private' };
  },
};

interface Change {
  summary: string;
  apply: (s: WorkspaceSettings) => void;
}

function changeFor(sub: string, rest: string[], channelId: string): Change {
  const money = (v: number | undefined) => (v === undefined ? 'off' : formatUsd(v));
  const budgets = (s: WorkspaceSettings): BudgetSettings => (s.budgets ??= {});
  const setIn = (map: Record<string, number> | undefined, k: string, v: number | undefined) => {
    const m = { ...(map ?? {}) };
    if (v === undefined) delete m[k];
    else m[k] = v;
    return m;
  };
  if (sub === 'workspace' || sub === 'per-channel' || sub === 'per-user') {
    const v = parseUsd(rest[0], USAGE);
    const field = ({ workspace: 'workspaceUsd', 'per-channel': 'perChannelUsd', 'per-user': 'perUserUsd' } as const)[sub];
    return { summary: `Set the ${sub} monthly budget to ${money(v)}.`, apply: (s) => void (budgets(s)[field] = v) };
  }
  if (sub === 'channel') {
    const v = parseUsd(rest[0], USAGE);
    return { summary: `Set this channel's monthly budget to ${money(v)}.`, apply: (s) => void (budgets(s).channels = setIn(s.budgets?.channels, channelId, v)) };
  }
  if (sub === 'user') {
    const user = parseUserId(rest[0], USAGE);
    const v = parseUsd(rest[1], USAGE);
    return { summary: `Set ${user}'s monthly budget to ${money(v)}.`, apply: (s) => void (budgets(s).users = setIn(s.budgets?.users, user, v)) };
  }
  if (sub === 'confirm') {
    const v = parseUsd(rest[0], USAGE);
    return { summary: `Jobs that could cost more than ${money(v)} now ask for confirmation first.`, apply: (s) => void (s.confirmAboveUsd = v) };
  }
  throw new UserError(`Unknown budget action "${sub}".\nUsage: ${USAGE}`, 'usage');
}

async function statusReply(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const s = await ctx.settings.get(inv.workspaceId);
  const status = await scopeStatus(ctx.books, scopesFor(inv, s.budgets, ctx.now()));
  const lines = status.map((x) => {
    const cap = x.capUsd === undefined ? 'no cap' : `cap ${formatUsd(x.capUsd)} (${Math.round((x.spentUsd / x.capUsd) * 100)}%)`;
    return `• ${x.name === 'workspace' ? 'Workspace' : x.name === 'channel' ? 'This channel' : 'You'}: ${formatUsd(x.spentUsd)} this month · ${cap}`;
  });
  const confirm = s.confirmAboveUsd === undefined ? 'off' : formatUsd(s.confirmAboveUsd);
  return { text: [`*Budgets (UTC month)*`, ...lines, `• Confirmation above: ${confirm}`].join('\n'), visibility: 'private' };
}
