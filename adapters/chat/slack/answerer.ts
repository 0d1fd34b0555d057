import { webApi } from '@slack/bolt';
import type { ChatAnswerer, JobDelivery } from '../../../src/chat/answerer.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { QueuedJob } from '../../../src/chat/answerer.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import type { SlackAdapterConfig, SlackConfig } from './config.ts';
import type { SlackTiming } from './deps.ts';
import { createSlackHistory, LIMITED_HISTORY, TIER3_HISTORY } from './history-page.ts';
import { createDeps } from './index.ts';
import { createInstallationStore } from './installation-store.ts';
import { buildInvocation } from './invocation.ts';
import { slackResponder, type ResponseUrlPost, type SlackJobAddress } from './job-address.ts';
import { createSlackOutbound } from './outbound.ts';
import { findPostedAnswer, ANSWER_EVENT } from './posted-answer.ts';
import { createTeamUrls } from './team-urls.ts';
import { webClientOptions, type WebClientTuning } from './web-client.ts';

export interface SlackAnswererOptions {
  config: SlackConfig;
  host: ChatHost;
  timing?: Partial<SlackTiming>;
  clock?: Clock;
  webClient?: WebClientTuning;
}

/**
 * Slack for a worker: no receiver, only the Web API with each workspace's bot token (the single
 * one, or its OAuth installation's from the shared store) and slash commands' `response_url`s.
 */
export function createSlackAnswerer(o: SlackAnswererOptions): ChatAnswerer {
  const { host } = o;
  const config: SlackAdapterConfig = { ...o.config, port: host.config.port, adminUserIds: host.config.adminUserIds };
  const log = host.log.child({ adapter: 'slack' });
  for (const s of [config.botToken, config.appToken, config.signingSecret, config.oauth?.clientSecret, config.oauth?.stateSecret]) host.secrets.add(s);
  const deps = createDeps(o, config, log);
  const installations = config.oauth
    ? createInstallationStore({ store: host.store.ns('installations'), sealer: host.sealer, secrets: host.secrets })
    : undefined;
  const options = webClientOptions(config.apiUrl, o.webClient);
  const base = new webApi.WebClient(undefined, options);
  const outbound = createSlackOutbound({ client: base, botToken: config.oauth ? undefined : config.botToken, installations });
  const clients = new Map<string, webApi.WebClient>();
  const clientFor = async (workspaceId: string) => {
    const token = await outbound.tokenFor(workspaceId);
    let c = clients.get(token);
    if (!c) clients.set(token, (c = new webApi.WebClient(token, options)));
    return c;
  };
  const limits = config.historyTier === 'tier3' ? TIER3_HISTORY : LIMITED_HISTORY;
  const urls = createTeamUrls({ log, now: () => deps.clock.now() });
  return {
    name: 'slack',
    post: outbound.post,
    edit: outbound.edit,
    history: createSlackHistory({ client: base, tokenFor: outbound.tokenFor, urls, limits }),
    historyPaceMs: limits.paceMs,
    async resume(job, delivery) {
      const a = job.address as unknown as SlackJobAddress;
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
        responder: slackResponder(
          deps,
          client,
          a,
          { command: job.command, text: job.text },
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
