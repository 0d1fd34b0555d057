import { webApi } from '@slack/bolt';
import type { ChatAnswerer, JobDelivery } from '../../../src/chat/answerer.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { QueuedJob } from '../../../src/chat/answerer.ts';
import { buildInvocation } from './invocation.ts';
import { slackAddressCodec, slackResponder, type ResponseUrlPost, type SlackJobAddress } from './job-address.ts';
import { findPostedAnswer, ANSWER_EVENT } from './posted-answer.ts';
import { createSlackSetup, type SlackSetupOptions } from './setup.ts';

/** A worker's Slack settings: the intake's, less what only listeners use. */
export type SlackAnswererOptions = Omit<SlackSetupOptions, 'answerBots'>;

/**
 * Slack for a worker: no receiver, only the Web API with each workspace's bot token (the single
 * one, or its OAuth installation's from the shared store) and slash commands' `response_url`s.
 */
export function createSlackAnswerer(o: SlackAnswererOptions): ChatAnswerer {
  const { deps, log, outbound, clientOptions, history, historyPaceMs } = createSlackSetup(o);
  const clients = new Map<string, webApi.WebClient>();
  const clientFor = async (workspaceId: string) => {
    const token = await outbound.tokenFor(workspaceId);
    let c = clients.get(token);
    if (!c) clients.set(token, (c = new webApi.WebClient(token, clientOptions)));
    return c;
  };
  return {
    name: 'slack',
    post: outbound.post,
    edit: outbound.edit,
    history,
    historyPaceMs,
    async resume(job, delivery) {
      const a = slackAddressCodec.decode(job);
      const client = await clientFor(job.workspaceId);
      const recorded = {
        metadata: { event_type: ANSWER_EVENT, event_payload: { job: job.id } },
        intend: () => delivery.posted(`${PENDING}${Date.now()}`),
        record: (ts: string) => delivery.posted(ts),
        ...(await earlierPost(client, a, job, delivery, log)),
      };
      return buildInvocation({
        teamId: a.teamId,
        channelId: a.channelId,
        userId: a.userId,
        ...(a.threadTs ? { threadTs: a.threadTs } : {}),
        command: job.command,
        text: job.text,
        ...(job.context ? { context: job.context } : {}),
        // The files intake saw (or a pressed re-run's), read again here with the workspace's own token.
        readAttachment: deps.files.reader(job.workspaceId),
        ...(job.attachments ? { attachments: job.attachments } : {}),
        responder: slackResponder(
          deps,
          client,
          a,
          { command: job.command, text: job.text, files: job.attachments },
          a.responseUrl ? responseUrlPost(a.responseUrl, { client, address: a, enqueuedAt: job.enqueuedAt, now: () => deps.clock.now() }) : undefined,
          recorded,
        ),
        isAdmin: () => deps.admin.isAdmin(client, a.teamId, a.userId),
      });
    },
    stop: async () => undefined,
  };
}

/** The message an earlier run of a resumed job posted: as it recorded it, else as Slack shows it (tagged with the job). */
async function earlierPost(
  client: webApi.WebClient,
  a: SlackJobAddress,
  job: QueuedJob,
  delivery: JobDelivery,
  log: ChatHost['log'],
): Promise<{ existingTs?: string }> {
  if (delivery.ref && !delivery.ref.startsWith(PENDING)) return { existingTs: delivery.ref };
  // Nothing noted: nothing was posted. Noted as pending: a post was under way when its run stopped.
  if (!delivery.ref) return {};
  const sinceMs = Number(delivery.ref.slice(PENDING.length)) || job.enqueuedAt;
  const ts = await findPostedAnswer(client, { channel: a.channelId, threadTs: a.threadTs, jobId: job.id, sinceMs }, log);
  return ts ? { existingTs: ts } : {};
}

/** The outbox note of a post under way whose ts is not known yet: `pending:<epoch ms>`. */
const PENDING = 'pending:';

/** A `response_url` lasts 30 minutes; past 29, a private reply goes through the Web API instead. */
export const RESPONSE_URL_MS = 29 * 60_000;

/**
 * Posts to a slash command's `response_url`, as Bolt's `respond` does. A job finished after the URL
 * expired (a restart, a long outage) sends its private replies with `chat.postEphemeral` instead, in
 * the channel, to the asker only, so they are still told.
 */
function responseUrlPost(url: string, late: { client: webApi.WebClient; address: SlackJobAddress; enqueuedAt: number; now: () => number }): ResponseUrlPost {
  const ephemeral = (m: Parameters<ResponseUrlPost>[1]) =>
    late.client.chat.postEphemeral({ channel: late.address.channelId, user: late.address.userId, text: m.text, blocks: m.blocks });
  return async (type, m) => {
    if (type === 'ephemeral' && late.now() - late.enqueuedAt > RESPONSE_URL_MS) return void (await ephemeral(m));
    const r = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ response_type: type, replace_original: false, text: m.text, blocks: m.blocks }),
    });
    if (r.ok) return;
    // Slack answers an expired or used-up URL with 404 (`expired_url`, `used_url`).
    if (type === 'ephemeral' && r.status === 404) return void (await ephemeral(m));
    throw new Error(`response_url answered ${r.status}`);
  };
}
