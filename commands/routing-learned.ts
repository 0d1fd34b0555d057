import type { Invocation } from '../src/chat/invocation.ts';
import type { HiveContext } from '../src/command/command.ts';
import { DEFAULT_STRONG_SHARE } from '../src/settings/routing-policy.ts';
import { routingDefaultOf } from '../src/settings/settings.ts';
import { questionOf } from './answer-action.ts';

/** How many of the workspace's latest questions the report scores to show what its feedback changed. */
const RECENT = 200;

/**
 * What this workspace's feedback taught the learned policy: the events counted, and how the share
 * of its own latest questions sent to a strong lane moves between the shipped model and the
 * adjusted one, at the share the policy aims for.
 */
export async function learnedSection(inv: Invocation, ctx: HiveContext): Promise<string[]> {
  const a = await ctx.learned.adjustment(inv.workspaceId);
  const events = a.neededStrong + a.enough;
  const head = '*Learned policy*';
  if (events === 0)
    return [head, 'No feedback counted yet: answers re-run deeper or marked not helpful on the cheap lane teach it which jobs need a strong lane.'];
  const d = routingDefaultOf(await ctx.settings.get(inv.workspaceId), inv.channelId);
  const share = d && 'policy' in d && d.policy.name === 'learned' ? d.policy.strongShare : DEFAULT_STRONG_SHARE;
  const texts = (await ctx.answers.book.recentQuestions(inv.workspaceId, RECENT)).map(questionOf).filter((t) => t !== '');
  const since = a.since ? ` since ${new Date(a.since).toISOString().slice(0, 10)}` : '';
  const lines = [head, `This workspace's feedback${since}: ${a.neededStrong} said a job needed a strong lane, ${a.enough} that its lane was enough.`];
  if (texts.length > 0) {
    const s = await ctx.learned.shares(inv.workspaceId, texts, share);
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    lines.push(
      `Of the last ${texts.length} questions, aiming at ${pct(share)} strong: the shipped model sends ${pct(s.shipped)} to a strong lane; adjusted by this feedback, ${pct(s.adjusted)}.`,
    );
  }
  lines.push('Reset it with `/hive routing reset`.');
  return lines;
}
