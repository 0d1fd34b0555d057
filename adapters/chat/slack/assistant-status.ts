import type { webApi } from '@slack/bolt';
import type { SlackDeps } from './deps.ts';
import { slackErrorCode } from './slack-error.ts';

/** The words Slack rotates under a DM while Hive waits (at most ten). */
const LOADING = ['Waiting for a free slot…', 'Checking your budget…', 'Asking the model…'];

/** Slack's "is thinking…" status under a DM question: shown while a job waits, cleared when the answer arrives. */
export interface AssistantStatus {
  /** Shows `text`; false when the workspace has no assistant status (show the wait some other way). */
  show(text: string): Promise<boolean>;
  clear(): Promise<void>;
}

/** `assistant.threads.setStatus` on the DM question's thread; a workspace without it is noted once and left alone. */
export function createAssistantStatus(
  deps: SlackDeps,
  client: webApi.WebClient,
  where: { teamId: string; channel: string; threadTs: string },
): AssistantStatus {
  let shown = false;
  const set = async (status: string): Promise<boolean> => {
    if (!deps.streams.allows(where.teamId, 'status')) return false;
    try {
      await client.assistant.threads.setStatus({
        channel_id: where.channel,
        thread_ts: where.threadTs,
        status,
        ...(status ? { loading_messages: LOADING } : {}),
      });
      return true;
    } catch (err) {
      if (!deps.streams.refused(where.teamId, 'status', slackErrorCode(err))) deps.log.warn({ err }, 'could not set the Slack assistant status');
      return false;
    }
  };
  return {
    async show(text) {
      shown = await set(text.slice(0, 200));
      return shown;
    },
    async clear() {
      if (shown) await set('');
      shown = false;
    },
  };
}
