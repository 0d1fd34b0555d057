import type { App, SocketModeReceiver } from '@slack/bolt';
import type { ChatAdapter } from '../../../src/chat/chat-adapter.ts';
import { DEFAULT_HTTP_LIMITS } from '../../../src/chat/http-limits.ts';
import { createBoltApp } from './app.ts';
import { registerCapture, type SlackCapture } from './capture.ts';
import { createDeliveryDedupe } from './dedupe.ts';
import type { SlackDeps } from './deps.ts';
import { createSlackSetup, type SlackSetup, type SlackSetupOptions } from './setup.ts';
import { createKeyForm, registerKeyModal } from './key-modal.ts';
import { registerSlashCommands } from './slash.ts';
import { STARTUP_DEADLINE_MS, startupStep, type StartupStep } from './startup.ts';
import { createTeamGuard } from './team-guard.ts';
import { registerThreads } from './threads.ts';
import { registerUninstall } from './uninstall.ts';
import { registerPresses } from './press.ts';
import { registerAgentView } from './agent-view.ts';
import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';

export type { SlackAdapterConfig, SlackConfig } from './config.ts';
export type { SlackTiming } from './deps.ts';

/** What the adapter needs: the `SLACK_*` settings and the chat host; the rest is for tests and tuning. */
export interface SlackAdapterOptions extends SlackSetupOptions {
  /** Interface to listen on (default: all); tests and the benchmark use 127.0.0.1. */
  bindAddress?: string;
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
  const s = createSlackSetup(o);
  const { config, log, deps } = s;
  const { host } = o;
  if (config.oauth && config.botToken) log.warn('SLACK_BOT_TOKEN is ignored: OAuth install (SLACK_CLIENT_ID/SECRET) serves every workspace');
  const http = { host: o.bindAddress, limits: host.config.http ?? DEFAULT_HTTP_LIMITS, log, atomic: host.store.atomic, pages: host.pages };
  const parts = createBoltApp({ config, logger: s.boltLogger, clientOptions: s.clientOptions, installations: s.installations, http });
  const capture = wire(parts.app, deps, s);
  let up = false;
  return {
    name: 'slack',
    actions: ACTION_KINDS,
    ready: () => up,
    post: s.outbound.post,
    edit: s.outbound.edit,
    history: s.history,
    historyPaceMs: s.historyPaceMs,
    async start() {
      const step = stepRunner(o, s);
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
      const { port } = await parts.receiver.start();
      log.info({ port, oauth: Boolean(config.oauth) }, 'Slack adapter listening on /slack/events');
      up = true;
      return { port };
    },
    async stop() {
      up = false;
      // Hive's receiver stops quietly when it never started; a Socket Mode client is stopped either way.
      await parts.app.stop();
      await Promise.all([host.dispatcher.drain(), capture.drain()]);
    },
  };
}

type StepRunner = (s: StartupStep, run: () => Promise<unknown>, onDeadline?: () => Promise<void>) => Promise<unknown>;

/** Runs start-up steps within the deadline, on the adapter's clock, with secrets scrubbed from what they say. */
function stepRunner(o: SlackAdapterOptions, s: SlackSetup): StepRunner {
  return (step, run, onDeadline) =>
    startupStep(
      step,
      {
        clock: s.deps.clock,
        deadlineMs: o.startupDeadlineMs ?? STARTUP_DEADLINE_MS,
        scrub: (t) => o.host.secrets.scrub(t),
        ...(onDeadline ? { onDeadline } : {}),
      },
      run,
    );
}

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

function wire(app: App, deps: SlackDeps, s: Pick<SlackSetup, 'installations' | 'urls'>): SlackCapture {
  app.use(createTeamGuard(deps));
  app.use(createDeliveryDedupe(deps));
  registerSlashCommands(app, deps, createKeyForm(deps));
  registerThreads(app, deps);
  const capture = registerCapture(app, deps, s.urls);
  registerKeyModal(app, deps);
  registerPresses(app, deps);
  registerAgentView(app, deps);
  registerUninstall(app, deps, s.installations);
  // Bodies are never logged: a view submission carries the key the admin typed.
  app.error(async (error) => {
    deps.log.error({ err: error }, 'Slack listener failed');
  });
  return capture;
}
