import { webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { ChatAdapter } from '../../../src/chat/chat-adapter.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { createTranscripts } from '../../../src/chat/transcripts.ts';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import { createAdminCheck } from './admin.ts';
import { createBoltLogger } from './bolt-logger.ts';
import type { SlackAdapterConfig, SlackConfig } from './config.ts';
import { DEFAULT_TIMING, type SlackDeps, type SlackTiming } from './deps.ts';
import { createSlackHistory, LIMITED_HISTORY, TIER3_HISTORY } from './history-page.ts';
import { createInstallationStore } from './installation-store.ts';
import { createMembershipCheck } from './membership.ts';
import { createSlackOutbound, type SlackOutbound } from './outbound.ts';
import { createTeamUrls, type TeamUrls } from './team-urls.ts';
import { createUserDirectory } from './user-directory.ts';
import { createStreamSupport } from './stream-support.ts';
import { webClientOptions, type WebClientTuning } from './web-client.ts';
import { createSlackFiles } from './file-access.ts';

/** What both the intake (the adapter) and a worker (the answerer) are built from. */
export interface SlackSetupOptions {
  config: SlackConfig;
  host: ChatHost;
  /** Placeholder, update and modal timings; the defaults suit Slack's limits. */
  timing?: Partial<SlackTiming>;
  clock?: Clock;
  /** Answer other bots in Hive threads (default false: bot-to-bot loops burn money). */
  answerBots?: boolean;
  webClient?: WebClientTuning;
}

/** The pieces the intake and a worker share, built the same way for both. */
export interface SlackSetup {
  config: SlackAdapterConfig;
  log: Logger;
  boltLogger: BoltLogger;
  deps: SlackDeps;
  /** Present for multi-workspace OAuth; absent for a single workspace's bot token. */
  installations: ReturnType<typeof createInstallationStore> | undefined;
  clientOptions: webApi.WebClientOptions;
  outbound: SlackOutbound;
  urls: TeamUrls;
  history: NonNullable<ChatAdapter['history']>;
  historyPaceMs: number;
}

/**
 * One set-up for every Slack process: the settings, secrets registered for scrubbing, the
 * listeners' shared parts, the installation store, Web API options and the outbound poster, so
 * a worker answers exactly as the intake would.
 */
export function createSlackSetup(o: SlackSetupOptions): SlackSetup {
  const { host } = o;
  const config: SlackAdapterConfig = { ...o.config, port: host.config.port, adminUserIds: host.config.adminUserIds };
  const log = host.log.child({ adapter: 'slack' });
  for (const s of [config.botToken, config.appToken, config.signingSecret, config.oauth?.clientSecret, config.oauth?.stateSecret]) host.secrets.add(s);
  const base = createDeps(o, config, log);
  const installations = config.oauth
    ? createInstallationStore({ store: host.store.ns('installations'), sealer: host.sealer, secrets: host.secrets })
    : undefined;
  const boltLogger = createBoltLogger(log);
  const clientOptions = webClientOptions(config.apiUrl, o.webClient);
  const client = new webApi.WebClient(undefined, { ...clientOptions, logger: boltLogger });
  const outbound = createSlackOutbound({ client, botToken: config.oauth ? undefined : config.botToken, installations });
  const files = createSlackFiles({
    authFor: fileAuth(outbound.tokenFor, { ...clientOptions, logger: boltLogger }),
    filesUrl: config.filesUrl,
    now: () => base.clock.now(),
    log,
    clock: base.clock,
  });
  const deps: SlackDeps = { ...base, files };
  const limits = config.historyTier === 'tier3' ? TIER3_HISTORY : LIMITED_HISTORY;
  const urls = createTeamUrls({ log, now: () => deps.clock.now() });
  const history = createSlackHistory({ client, tokenFor: outbound.tokenFor, urls, limits });
  return { config, log, boltLogger, deps, installations, clientOptions, outbound, urls, history, historyPaceMs: limits.paceMs };
}

/**
 * A workspace's token and a client built with it, one client per token: a token passed per call
 * would travel in the request body as well as the header.
 */
function fileAuth(tokenFor: (workspaceId: string) => Promise<string>, options: webApi.WebClientOptions) {
  const clients = new Map<string, webApi.WebClient>();
  return async (workspaceId: string) => {
    const token = await tokenFor(workspaceId);
    let client = clients.get(token);
    if (!client) clients.set(token, (client = new webApi.WebClient(token, options)));
    return { token, client };
  };
}

/** What the Slack listeners (and a worker's answers) share, built once per adapter or answerer. */
function createDeps(o: SlackSetupOptions, config: SlackAdapterConfig, log: Logger): Omit<SlackDeps, 'files'> {
  const clock = o.clock ?? systemClock;
  return {
    host: o.host,
    log,
    admin: createAdminCheck({ adminUserIds: config.adminUserIds, log }),
    membership: createMembershipCheck({ log, now: () => clock.now() }),
    directory: createUserDirectory({ log, now: () => clock.now() }),
    transcripts: createTranscripts({ store: o.host.store.ns('threads'), ttlMs: o.host.config.threadRetentionMs }),
    timing: { ...DEFAULT_TIMING, ...o.timing },
    clock,
    answerBots: o.answerBots ?? false,
    streams: createStreamSupport({ enabled: config.streaming !== false, log }),
  };
}
