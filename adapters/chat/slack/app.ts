import type { ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver, type InstallationStore, type Logger as BoltLogger, type webApi } from '@slack/bolt';
import type { SlackAdapterConfig } from './config.ts';
import { authorizeUrlFor } from './web-client.ts';

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
];

export interface BoltAppInput {
  config: SlackAdapterConfig;
  logger: BoltLogger;
  clientOptions: webApi.WebClientOptions;
  /** Present for multi-workspace OAuth; absent for a single workspace's bot token. */
  installations: InstallationStore | undefined;
}

/** The Bolt app and how it receives: our own HTTP server over the receiver, or a Socket Mode connection. */
export type BoltParts = { app: App; mode: 'http'; receiver: HTTPReceiver } | { app: App; mode: 'socket'; receiver: SocketModeReceiver };

/**
 * Builds the Bolt app: `/slack/events` (+ `/healthz`, and `/slack/install` + `/slack/oauth_redirect`
 * when OAuth is configured) over HTTP, or Socket Mode when an app token is set. Every Web API
 * client, the OAuth installer's included, uses the configured API base.
 */
export function createBoltApp(i: BoltAppInput): BoltParts {
  const { config, logger, clientOptions } = i;
  const oauth = oauthOptions(i);
  const customRoutes = [{ path: '/healthz', method: ['GET'], handler: (_req: unknown, res: ServerResponse) => health(res) }];
  const common = { logger, clientOptions, deferInitialization: true, convoStore: false as const };
  const auth = oauth ? {} : { token: config.botToken };
  if (config.appToken) {
    const installerOptions = { ...oauth?.installerOptions, clientOptions, port: config.port };
    const receiver = new SocketModeReceiver({ appToken: config.appToken, logger, customRoutes, ...oauth, installerOptions });
    return { app: new App({ ...common, ...auth, receiver }), mode: 'socket', receiver };
  }
  if (!config.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for Slack over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  const receiver = new HTTPReceiver({ signingSecret: config.signingSecret, endpoints: '/slack/events', port: config.port, customRoutes, logger, ...oauth });
  return { app: new App({ ...common, ...auth, receiver }), mode: 'http', receiver };
}

function oauthOptions(i: BoltAppInput) {
  const o = i.config.oauth;
  if (!o || !i.installations) return undefined;
  return {
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    stateSecret: o.stateSecret,
    scopes: BOT_SCOPES,
    installationStore: i.installations,
    installerOptions: {
      directInstall: true,
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
      clientOptions: i.clientOptions,
      authorizationUrl: authorizeUrlFor(i.config.apiUrl),
      callbackOptions: { success: installed, failure: installFailed },
    },
  };
}

function health(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}

function page(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><meta charset="utf-8"><title>Hive</title><body style="font-family:sans-serif"><p>${body}</p></body>`);
}

function installed(_inst: unknown, _opts: unknown, _req: unknown, res: ServerResponse): void {
  page(res, 200, 'Hive is installed. Next, in Slack: <code>/hive keys</code> to add a vendor key, then <code>/ask</code>.');
}

function installFailed(err: { code?: string }, _opts: unknown, _req: unknown, res: ServerResponse): void {
  const code = String(err.code ?? 'unknown').replace(/[^\w.-]/g, '');
  page(res, 400, `Installing Hive did not complete (${code}). Start again from the install link.`);
}
