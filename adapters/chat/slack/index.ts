import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, SocketModeReceiver } from '@slack/bolt';
import { systemClock, type Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { ChatAdapter } from '../../../src/chat/chat-adapter.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { DEFAULT_HTTP_LIMITS } from '../../../src/chat/http-limits.ts';
import { createAdminCheck } from './admin.ts';
import { createMembershipCheck } from './membership.ts';
import { createUserDirectory } from './user-directory.ts';
import { createBoltApp } from './app.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { registerCapture, type SlackCapture } from './capture.ts';
import { createSlackHistory, LIMITED_HISTORY, TIER3_HISTORY } from './history-page.ts';
import { createTeamUrls, type TeamUrls } from './team-urls.ts';
import type { SlackAdapterConfig, SlackConfig } from './config.ts';
import { createDeliveryDedupe } from './dedupe.ts';
import { DEFAULT_TIMING, type SlackDeps, type SlackTiming } from './deps.ts';
import { createEventsEndpoint } from './events-endpoint.ts';
import { closeServer, listenHttp } from './http-server.ts';
import { createInstallationStore } from './installation-store.ts';
import { createSlackOutbound } from './outbound.ts';
import { createKeyForm, registerKeyModal } from './key-modal.ts';
import { createTranscripts } from '../../../src/chat/transcripts.ts';
import { registerSlashCommands } from './slash.ts';
import { STARTUP_DEADLINE_MS, startupStep, type StartupStep } from './startup.ts';
import { createTeamGuard } from './team-guard.ts';
import { registerThreads } from './threads.ts';
import { registerUninstall } from './uninstall.ts';
import { webClientOptions, type WebClientTuning } from './web-client.ts';

export type { SlackAdapterConfig, SlackConfig } from './config.ts';
export type { SlackTiming } from './deps.ts';

/** What the adapter needs: the `SLACK_*` settings and the chat host; the rest is for tests and tuning. */
export interface SlackAdapterOptions {
  config: SlackConfig;
  host: ChatHost;
  /** Interface to listen on (default: all); tests and the benchmark use 127.0.0.1. */
  bindAddress?: string;
  /** Placeholder, update and modal timings; the defaults suit Slack's limits. */
  timing?: Partial<SlackTiming>;
  clock?: Clock;
  /** Answer other bots in Hive threads (default false: bot-to-bot loops burn money). */
  answerBots?: boolean;
  webClient?: WebClientTuning;
  /** Deadline for each start-up step (token check, Socket Mode connection); default {@link STARTUP_DEADLINE_MS}. */
  startupDeadlineMs?: number;
}

/** A running Slack integration: HTTP (`/slack/events`) or Socket Mode. */
export interface SlackAdapter extends ChatAdapter {
  /** Starts receiving; resolves with the HTTP port bound (the actual one for port 0 over HTTP; the configured one in Socket Mode). */
  start(): Promise<{ port: number }>;
}

/** Builds the Slack adapter over the chat host; the registry (adapters/chat/registry.ts) starts it when `SLACK_*` is set. */
export function createSlackAdapter(o: SlackAdapterOptions): SlackAdapter {
  const { host } = o;
  const config: SlackAdapterConfig = { ...o.config, port: host.config.port, adminUserIds: host.config.adminUserIds };
  const log = host.log.child({ adapter: 'slack' });
  for (const s of [config.botToken, config.appToken, config.signingSecret, config.oauth?.clientSecret, config.oauth?.stateSecret]) host.secrets.add(s);
  if (config.oauth && config.botToken) log.warn('SLACK_BOT_TOKEN is ignored: OAuth install (SLACK_CLIENT_ID/SECRET) serves every workspace');
  const deps = createDeps(o, config, log);
  const installations = config.oauth
    ? createInstallationStore({ store: host.store.ns('installations'), sealer: host.sealer, secrets: host.secrets })
    : undefined;
  const boltLogger = createBoltLogger(log);
  const parts = createBoltApp({ config, logger: boltLogger, clientOptions: webClientOptions(config.apiUrl, o.webClient), installations });
  const urls = createTeamUrls({ log: deps.log, now: () => deps.clock.now() });
  const capture = wire(parts.app, deps, installations, urls);
  const outbound = createSlackOutbound({ client: parts.app.client, botToken: config.oauth ? undefined : config.botToken, installations });
  const limits = config.historyTier === 'tier3' ? TIER3_HISTORY : LIMITED_HISTORY;
  let server: Server | undefined;
  let up = false;
  return {
    name: 'slack',
    ready: () => up,
    post: outbound.post,
    edit: outbound.edit,
    history: createSlackHistory({ client: parts.app.client, tokenFor: outbound.tokenFor, urls, limits }),
    historyPaceMs: limits.paceMs,
    async start() {
      const step = (s: StartupStep, run: () => Promise<unknown>, onDeadline?: () => Promise<void>) =>
        startupStep(
          s,
          {
            clock: deps.clock,
            deadlineMs: o.startupDeadlineMs ?? STARTUP_DEADLINE_MS,
            scrub: (t) => host.secrets.scrub(t),
            ...(onDeadline ? { onDeadline } : {}),
          },
          run,
        );
      if (config.botToken && !config.oauth)
        await step({ what: 'auth.test (checking SLACK_BOT_TOKEN)', url: config.apiUrl, urlVar: 'SLACK_API_URL', tokenVar: 'SLACK_BOT_TOKEN' }, () =>
          parts.app.init(),
        );
      else await parts.app.init();
      if (parts.mode === 'socket') {
        await connectSocket(parts.receiver, config.apiUrl, step, { start: () => parts.app.start(), stop: () => parts.app.stop() });
        log.info({ port: config.port }, 'Slack adapter connected over Socket Mode');
        up = true;
        return { port: config.port };
      }
      const events = (trust: (req: IncomingMessage) => void) =>
        createEventsEndpoint({ app: parts.app, signingSecret: config.signingSecret ?? '', boltLogger, log, atomic: host.store.atomic, onVerified: trust });
      const limits = host.config.http ?? DEFAULT_HTTP_LIMITS;
      server = await listenHttp(parts.receiver, events, { port: config.port, host: o.bindAddress, limits, log });
      const { port } = server.address() as AddressInfo;
      log.info({ port, oauth: Boolean(config.oauth) }, 'Slack adapter listening on /slack/events');
      up = true;
      return { port };
    },
    async stop() {
      up = false;
      if (server) await closeServer(server);
      else if (parts.mode === 'socket') await parts.app.stop();
      server = undefined;
      await Promise.all([host.dispatcher.drain(), capture.drain()]);
    },
  };
}

type StepRunner = (s: StartupStep, run: () => Promise<unknown>, onDeadline?: () => Promise<void>) => Promise<unknown>;

/** Socket Mode start: `apps.connections.open`, then the WebSocket it names; a failure or hang says which. */
async function connectSocket(
  receiver: SocketModeReceiver,
  apiUrl: string,
  step: StepRunner,
  app: { start(): Promise<unknown>; stop(): Promise<unknown> },
): Promise<void> {
  const s: StartupStep = {
    what: 'Socket Mode apps.connections.open (with SLACK_APP_TOKEN)',
    url: apiUrl,
    urlVar: 'SLACK_API_URL',
    tokenVar: 'SLACK_APP_TOKEN',
  };
  const opened = (resp: { url?: string }) => {
    Object.assign(s, {
      what: 'Socket Mode WebSocket connection',
      url: resp.url ?? '',
      urlVar: 'the URL apps.connections.open returned; outbound WebSocket (wss, port 443)',
    });
  };
  receiver.client.once('authenticated', opened);
  // Stopping is not awaited: a client that never connected may never report that it disconnected.
  const stop = () => void app.stop().catch(() => undefined);
  try {
    await step(
      s,
      () => app.start(),
      async () => stop(),
    );
  } catch (err) {
    stop();
    throw err;
  } finally {
    receiver.client.off('authenticated', opened);
  }
}

/** What the Slack listeners (and a worker's answers) share, built once per adapter or answerer. */
export function createDeps(o: Pick<SlackAdapterOptions, 'host' | 'timing' | 'clock' | 'answerBots'>, config: SlackAdapterConfig, log: Logger): SlackDeps {
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
  };
}

function wire(app: App, deps: SlackDeps, installations: ReturnType<typeof createInstallationStore> | undefined, urls: TeamUrls): SlackCapture {
  app.use(createTeamGuard(deps));
  app.use(createDeliveryDedupe(deps));
  registerSlashCommands(app, deps, createKeyForm(deps));
  registerThreads(app, deps);
  const capture = registerCapture(app, deps, urls);
  registerKeyModal(app, deps);
  registerUninstall(app, deps, installations);
  // Bodies are never logged: a view submission carries the key the admin typed.
  app.error(async (error) => {
    deps.log.error({ err: error }, 'Slack listener failed');
  });
  return capture;
}
