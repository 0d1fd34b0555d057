import type { ServerResponse } from 'node:http';
import type { Authorize, InstallationStore, Logger as BoltLogger, webApi } from '@slack/bolt';
import { InstallProvider } from '@slack/oauth';
import type { SlackAdapterConfig } from './config.ts';
import type { RouteHandler } from './receiver.ts';
import { authorizeUrlFor } from './web-client.ts';

/** What the OAuth install needs: the `SLACK_CLIENT_*` settings, where installations are kept, and the scopes asked for. */
export interface InstallInput {
  oauth: NonNullable<SlackAdapterConfig['oauth']>;
  apiUrl: string;
  installations: InstallationStore;
  scopes: string[];
  clientOptions: webApi.WebClientOptions;
}

const INSTALL_PATH = '/slack/install';
const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Bolt's OAuth options for a built-in receiver (Socket Mode): `/slack/install` straight to Slack's
 * authorize page on the configured API base, back to `/slack/oauth_redirect`, and Hive's own pages.
 */
export function oauthOptions(i: InstallInput) {
  return {
    clientId: i.oauth.clientId,
    clientSecret: i.oauth.clientSecret,
    stateSecret: i.oauth.stateSecret,
    scopes: i.scopes,
    installationStore: i.installations,
    installerOptions: {
      directInstall: true,
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      clientOptions: i.clientOptions,
      authorizationUrl: authorizeUrlFor(i.apiUrl),
      callbackOptions: { success: installed, failure: installFailed },
    },
  };
}

/** The install pages on Hive's own receiver, and the `authorize` that finds each workspace's installation for Bolt. */
export interface InstallRoutes {
  routes: Record<string, RouteHandler>;
  authorize: Authorize<boolean>;
}

/** The same install flow as {@link oauthOptions}, served by Hive's receiver over one InstallProvider. */
export function createInstallRoutes(i: InstallInput, logger: BoltLogger): InstallRoutes {
  const o = oauthOptions(i);
  const installer = new InstallProvider({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    stateSecret: o.stateSecret,
    installationStore: o.installationStore,
    logger,
    directInstall: true,
    clientOptions: o.installerOptions.clientOptions,
    authorizationUrl: o.installerOptions.authorizationUrl,
  });
  const failed = (what: string) => (err: unknown) => logger.error(`Slack ${what} failed`, err);
  return {
    routes: {
      [`GET ${INSTALL_PATH}`]: (req, res) => void installer.handleInstallPath(req, res, {}, { scopes: o.scopes }).catch(failed('install page')),
      [`GET ${REDIRECT_PATH}`]: (req, res) => void installer.handleCallback(req, res, o.installerOptions.callbackOptions).catch(failed('OAuth redirect')),
    },
    authorize: installer.authorize,
  };
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
