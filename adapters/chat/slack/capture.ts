import type { App } from '@slack/bolt';
import { isRecord } from './body-parse.ts';
import { isTeamId } from './body-shape.ts';
import { captureEventOf } from './capture-event.ts';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { withPermalink } from './permalink.ts';
import { createTeamUrls, type AuthTester, type TeamUrls } from './team-urls.ts';

/** The digest capture's listener, so stopping the adapter waits for writes in flight instead of cutting them off. */
export interface SlackCapture {
  /** Resolves when every capture started so far has finished. */
  drain(): Promise<void>;
}

/** One delivered message event and who received it. */
interface Delivery {
  event: unknown;
  teamId: string | undefined;
  botUserId: string | undefined;
  botId: string | undefined;
  client: AuthTester;
}

/**
 * Every person's channel message, edit and deletion goes to the core's digest capture, which keeps
 * only channels with a digest on. Its own listener, beside the thread answers: it neither waits for
 * nor delays them, and a failure is logged, never thrown into Bolt. Retried deliveries were already
 * dropped by the dedupe middleware (and the core ignores a message it has).
 */
export function registerCapture(app: App, deps: SlackDeps, urls: TeamUrls = createTeamUrls({ log: deps.log, now: () => deps.clock.now() })): SlackCapture {
  const pending = new Set<Promise<void>>();
  app.event('message', async ({ event, context, client }) => {
    const teamId = context.teamId ?? (isRecord(event) && typeof event.team === 'string' ? event.team : undefined);
    const run = capture(deps, urls, { event, teamId, botUserId: context.botUserId, botId: context.botId, client });
    pending.add(run);
    await run;
    pending.delete(run);
  });
  return {
    async drain() {
      await Promise.all([...pending]);
    },
  };
}

/** Never rejects: a capture that fails is a warning, and the message is simply not in the digest. */
async function capture(deps: SlackDeps, urls: TeamUrls, d: Delivery): Promise<void> {
  try {
    if (!isTeamId(d.teamId)) return;
    const e = captureEventOf(d.event, { workspaceId: workspaceIdFor(d.teamId), botUserId: d.botUserId, botId: d.botId });
    if (!e) return;
    if (e.kind !== 'message') return await deps.host.capture.observe(e);
    const teamUrl = await urls.urlOf(d.teamId, d.client);
    await deps.host.capture.observe({ kind: 'message', message: withPermalink(e.message, teamUrl) });
  } catch (err) {
    deps.log.warn({ err, teamId: d.teamId }, 'Slack message not captured for the digest');
  }
}
