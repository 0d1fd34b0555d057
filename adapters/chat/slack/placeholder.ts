import type { webApi } from '@slack/bolt';
import { createLiveReply, type LiveDraft, type LiveReply } from '../../../src/chat/live-reply.ts';
import type { SlackDeps } from './deps.ts';
import { renderReply, type RenderOptions, type SlackMessage } from './render.ts';
import { truncate } from './split.ts';
import type { ActionOffer } from '../../../src/chat/answer-actions.ts';

export interface PlaceholderOptions {
  client: webApi.WebClient;
  channel: string;
  threadTs?: string;
  render: RenderOptions;
  /** The question as typed, echoed in the placeholder. */
  question?: string;
  /** Post one when the job outlasts `placeholderDelayMs`; otherwise only `progress()` posts one. */
  auto: boolean;
  /** A queued job's delivery record: the placeholder an earlier run posted, and where this run's is noted. */
  recorded?: PostRecord;
  /** Actions on the running job (Cancel), shown on the placeholder as buttons. */
  offers?(): ActionOffer[] | undefined;
}

/** What a queued job's answer carries so a worker that resumes it finds what was posted. */
export interface PostRecord {
  /** Message metadata naming the job, for finding a post whose ts was never recorded. */
  metadata: { event_type: string; event_payload: Record<string, string> };
  /** A message an earlier run posted: edited instead of posting another. */
  existingTs?: string;
  /** Notes that the first message is about to be posted (when, for finding it if its ts is never noted). */
  intend(): Promise<void>;
  /** Notes the first message posted, before anything else. */
  record(ts: string): Promise<void>;
}

/** A Slack message's live reply: the shared one over `chat.postMessage` and `chat.update`, keyed by ts. */
export type Placeholder = LiveReply<string>;

/** The shared live reply (src/chat/live-reply.ts) writing Slack messages. */
export function createPlaceholder(deps: SlackDeps, o: PlaceholderOptions): Placeholder {
  return createLiveReply<string>({
    clock: deps.clock,
    delayMs: deps.timing.placeholderDelayMs,
    intervalMs: deps.timing.updateIntervalMs,
    auto: o.auto,
    log: deps.log,
    ...(o.recorded?.existingTs ? { existing: o.recorded.existingTs } : {}),
    sink: {
      post: async (d) => {
        await o.recorded?.intend();
        const { ts } = await o.client.chat.postMessage({
          channel: o.channel,
          ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
          ...draftMessage(d, o),
          ...(o.recorded ? { metadata: o.recorded.metadata } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (ts) await o.recorded?.record(ts);
        return ts;
      },
      edit: async (ts, d) => void (await o.client.chat.update({ channel: o.channel, ts, ...draftMessage(d, o) })),
    },
  });
}

/** The placeholder as posted or edited: the question, the text so far, and what the job is doing. */
export function draftMessage(d: LiveDraft, o: Pick<PlaceholderOptions, 'question' | 'render' | 'offers'>): SlackMessage {
  const footer = `:hourglass_flowing_sand: ${d.note || 'Working on it…'}`;
  const text = d.streamed.trim() ? truncate(d.streamed, 2800) : '_Thinking…_';
  const actions = o.offers?.();
  const reply = { text, footer, visibility: 'channel' as const, ...(o.question ? { question: o.question } : {}), ...(actions?.length ? { actions } : {}) };
  return renderReply(reply, o.render)[0]!;
}
