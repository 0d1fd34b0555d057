import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, SocketModeReceiver, type InstallationStore, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { SlackAdapterConfig } from './config.ts';
import { createInstallRoutes, oauthOptions, type InstallInput } from './install-routes.ts';
import { createHiveReceiver, type HiveReceiver, type HiveReceiverOptions } from './receiver.ts';

/** Bot scopes requested at install; the manifest lists the same. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'channels:history',
  'groups:history',
  'im:history',
  'users:read',
  'channels:read',
  'groups:read',
  'im:read',
  'mpim:read',
  'assistant:write',
  // Files people share with a question (files.info, files.list and the private download).
  'files:read',
  // A reply's image (the /hive usage chart): uploaded, and for a private reply shared in the asker's DM with Hive.
  'files:write',
  'im:write',
];

export interface BoltAppInput {
  config: SlackAdapterConfig;
  logger: BoltLogger;
  clientOptions: webApi.WebClientOptions;
  /** Present for multi-workspace OAuth; absent for a single workspace's bot token. */
  installations: InstallationStore | undefined;
  /** Over HTTP, what Hive's receiver needs besides the Slack settings: interface, deadlines, log, replay claims. */
  http: Pick<HiveReceiverOptions, 'host' | 'limits' | 'log' | 'atomic' | 'pages'>;
}

/** The Bolt app and how it receives: Hive's own HTTP receiver, or a Socket Mode connection. */
export type BoltParts = { app: App; mode: 'http'; receiver: HiveReceiver } | { app: App; mode: 'socket'; receiver: SocketModeReceiver };

/**
 * Builds the Bolt app: `/slack/events` (+ `/healthz`, and `/slack/install` + `/slack/oauth_redirect`
 * when OAuth is configured) over HTTP, or Socket Mode when an app token is set. Every Web API
 * client, the OAuth installer's included, uses the configured API base.
 */
export function createBoltApp(i: BoltAppInput): BoltParts {
  const { config, logger, clientOptions } = i;
  const install = installInput(i);
  const common = { logger, clientOptions, deferInitialization: true, convoStore: false as const };
  const auth = install ? {} : { token: config.botToken };
  if (config.appToken) {
    const oauth = install ? oauthOptions(install) : undefined;
    const installerOptions = { ...oauth?.installerOptions, clientOptions, port: config.port };
    const pages = i.http.pages;
    const pageRoutes = (pages?.routes ?? []).map((path) => ({
      path,
      method: ['GET', 'HEAD'],
      handler: (req: IncomingMessage, res: ServerResponse) => pages!.serve(req, res),
    }));
    const customRoutes = [{ path: '/healthz', method: ['GET'], handler: (_req: unknown, res: ServerResponse) => health(res) }, ...pageRoutes];
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, customRoutes, ...oauth, installerOptions });
    return { app: new App({ ...common, ...auth, receiver }), mode: 'socket', receiver };
  }
  if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  const oauth = install ? createInstallRoutes(install, logger) : undefined;
  const routes = { 'GET /healthz': (_req: unknown, res: ServerResponse) => health(res), ...oauth?.routes };
  const receiver = createHiveReceiver({ ...i.http, signingSecret: config.signingSecret, port: config.port, routes });
  return { app: new App({ ...common, ...(oauth ? { authorize: oauth.authorize } : auth), receiver }), mode: 'http', receiver };
}

function installInput(i: BoltAppInput): InstallInput | undefined {
  const o = i.config.oauth;
  if (!o || !i.installations) return undefined;
  return { oauth: o, apiUrl: i.config.apiUrl, installations: i.installations, scopes: BOT_SCOPES, clientOptions: i.clientOptions };
}

function health(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}
