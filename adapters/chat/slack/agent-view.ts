import type { App } from '@slack/bolt';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { slackErrorCode } from './slack-error.ts';

/**
 * The prompts offered when someone opens Hive's DM (Slack shows at most four): their own latest
 * questions first (never anyone else's), then this fixed set.
 */
export const SUGGESTED_PROMPTS = [
  { title: 'Ask a question', message: 'Explain the difference between a process and a thread, briefly.' },
  { title: 'Compare models', message: '/consensus What are the trade-offs of event sourcing?' },
  { title: 'What did it cost?', message: '/hive usage' },
  { title: 'Help', message: '/hive help' },
] as const;

/** What a person was viewing when they last opened Hive's DM (`app_context_changed`), by team and user. */
export interface ViewedContext {
  channelId?: string;
}

/**
 * Slack's agent DM view: opening the Messages tab offers the suggested prompts
 * (`assistant.threads.setSuggestedPrompts`, without `thread_ts`, which agent-view apps must leave
 * out); a change of what the person is viewing is accepted and kept in memory, small and per user.
 */
export function registerAgentView(app: App, deps: SlackDeps): { viewing(teamId: string, userId: string): ViewedContext | undefined } {
  const viewed = new Map<string, ViewedContext>();
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'messages' || !event.channel || !context.teamId || !deps.streams.allows(context.teamId, 'status')) return;
    try {
      const prompts = await promptsFor(deps, context.teamId, event.user);
      await client.assistant.threads.setSuggestedPrompts({ channel_id: event.channel, title: 'Try Hive', prompts });
    } catch (err) {
      if (!deps.streams.refused(context.teamId, 'status', slackErrorCode(err))) deps.log.warn({ err }, 'could not set Slack suggested prompts');
    }
  });
  app.event('app_context_changed', async ({ event, context }) => {
    const channel = event.context.entities?.find((e) => e.type === 'slack#/types/channel_id');
    const key = `${context.teamId ?? ''}:${event.user}`;
    if (viewed.size > 10_000 && !viewed.has(key)) viewed.clear();
    viewed.set(key, channel && typeof channel.value === 'string' ? { channelId: channel.value } : {});
  });
  return { viewing: (teamId, userId) => viewed.get(`${teamId}:${userId}`) };
}

/** A prompt's title stays short; the whole question is its message. */
const TITLE_MAX = 75;

/** Up to four prompts: the person's own recent questions (to ask again), then the fixed set. */
async function promptsFor(deps: SlackDeps, teamId: string, userId: string): Promise<{ title: string; message: string }[]> {
  const own = await (deps.host.recentQuestions?.(workspaceIdFor(teamId), userId) ?? Promise.resolve([])).catch((err: unknown) => {
    deps.log.warn({ err }, 'could not read recent questions for suggested prompts');
    return [];
  });
  const again = own.map((q) => ({ title: q.length > TITLE_MAX ? `${q.slice(0, TITLE_MAX - 1)}…` : q, message: q }));
  return [...again, ...SUGGESTED_PROMPTS].slice(0, 4);
}
