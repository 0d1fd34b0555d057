import { ruleFor } from '../routing/route-rule.ts';
import type { LogDb } from '../store/log-db.ts';

/** One lane and routing rule over a period: the answered jobs it routed, and the actions people took on them by kind. */
export interface RouteTally {
  lane: string;
  rule: string;
  jobs: number;
  actions: Record<string, number>;
}

/**
 * The answered jobs of a workspace between two times per lane and rule, with the actions taken on
 * answers in that time (re-runs, votes, cancels), from the jobs' and actions' own rows.
 */
export async function tallyRoutes(db: LogDb, workspaceId: string, sinceMs: number, untilMs: number): Promise<RouteTally[]> {
  const [jobs, actions] = await Promise.all([
    db
      .selectFrom('answer_jobs')
      .select((eb) => ['lane', 'lane_reason', 'command', eb.fn.countAll<number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('state', '=', 'answered')
      .where('created_at', '>=', sinceMs)
      .where('created_at', '<', untilMs)
      .groupBy(['lane', 'lane_reason', 'command'])
      .execute(),
    db
      .selectFrom('answer_actions as a')
      .leftJoin('answer_jobs as j', 'j.ref', 'a.ref')
      .select((eb) => ['a.lane as lane', 'a.lane_reason as lane_reason', 'j.command as command', 'a.kind as kind', eb.fn.countAll<number>().as('n')])
      .where('a.workspace_id', '=', workspaceId)
      .where('a.at', '>=', sinceMs)
      .where('a.at', '<', untilMs)
      .groupBy(['a.lane', 'a.lane_reason', 'j.command', 'a.kind'])
      .execute(),
  ]);
  const out = new Map<string, RouteTally>();
  const at = (lane: string | null, reason: string | null, command: string | null): RouteTally => {
    const t = { lane: lane ?? 'unknown', rule: ruleFor(command, reason ?? 'unknown') };
    const k = `${t.lane}\u0000${t.rule}`;
    const found = out.get(k) ?? { ...t, jobs: 0, actions: {} };
    out.set(k, found);
    return found;
  };
  for (const r of jobs) at(r.lane, r.lane_reason, r.command).jobs += Number(r.n);
  for (const r of actions) {
    const t = at(r.lane, r.lane_reason, r.command);
    t.actions[r.kind] = (t.actions[r.kind] ?? 0) + Number(r.n);
  }
  return [...out.values()];
}

/** The texts of a workspace's latest answered `/ask` jobs, newest first (flags included); one person's when `askerId` is given. */
export async function recentQuestions(db: LogDb, workspaceId: string, limit: number, askerId?: string): Promise<string[]> {
  let q = db.selectFrom('answer_jobs').select('text').where('workspace_id', '=', workspaceId);
  if (askerId !== undefined) q = q.where('asker_id', '=', askerId);
  const rows = await q.where('command', '=', 'ask').where('state', '=', 'answered').orderBy('created_at', 'desc').limit(limit).execute();
  return rows.map((r) => r.text);
}
