import { z } from 'zod';
import { optionalVar, parseVars, urlVar, type EnvVars } from '../../../src/shared/env-fields.ts';

/** The `SLACK_*` settings: a single workspace's bot token or multi-workspace OAuth, over HTTP or Socket Mode. */
export interface SlackConfig {
  signingSecret: string | undefined;
  botToken: string | undefined;
  appToken: string | undefined;
  oauth: { clientId: string; clientSecret: string; stateSecret: string } | undefined;
  apiUrl: string;
  /** Slack's file host (`SLACK_FILES_URL`, default `https://files.slack.com/`): the only origin shared files are downloaded from. */
  filesUrl: string;
  /**
   * How the app may read history (`SLACK_HISTORY_TIER`): `limited`, the default (commercial apps
   * outside the Marketplace: one read of 15 messages a minute), or `tier3` (Marketplace and internal apps).
   */
  historyTier: 'limited' | 'tier3';
  /** `HIVE_SLACK_STREAMING=off` answers with a placeholder and edits instead of Slack's native streams; absent: on. */
  streaming?: boolean;
}

/** The Slack adapter's settings: the `SLACK_*` variables plus the core's port and admin ids. */
export interface SlackAdapterConfig extends SlackConfig {
  port: number;
  adminUserIds: readonly string[];
}

const SLACK_VARS = {
  SLACK_SIGNING_SECRET: optionalVar,
  SLACK_BOT_TOKEN: optionalVar,
  SLACK_APP_TOKEN: optionalVar,
  SLACK_CLIENT_ID: optionalVar,
  SLACK_CLIENT_SECRET: optionalVar,
  SLACK_STATE_SECRET: optionalVar,
  SLACK_API_URL: urlVar,
  SLACK_FILES_URL: urlVar,
  SLACK_HISTORY_TIER: z
    .enum(['limited', 'tier3'], { error: 'must be limited (apps outside the Slack Marketplace) or tier3 (Marketplace and internal apps)' })
    .optional(),
  HIVE_SLACK_STREAMING: z.enum(['on', 'off'], { error: 'must be on (native streaming where Slack offers it) or off (placeholder and edits)' }).optional(),
};

/** Parses `SLACK_*`: undefined when none is set; every inconsistency is pushed as a problem naming its variable. */
export function parseSlackEnv(env: EnvVars, problems: string[]): SlackConfig | undefined {
  const e = parseVars(env, SLACK_VARS, problems);
  const oauthVars = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  const anyOauth = oauthVars.some((v) => v !== undefined);
  const any = anyOauth || [e.SLACK_SIGNING_SECRET, e.SLACK_BOT_TOKEN, e.SLACK_APP_TOKEN].some((v) => v !== undefined);
  if (!any) return undefined;
  if (anyOauth && oauthVars.some((v) => v === undefined)) {
    problems.push('SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: set all three for multi-workspace install, or none');
  }
  if (!anyOauth && e.SLACK_BOT_TOKEN === undefined) {
    problems.push('SLACK_BOT_TOKEN: required for a single-workspace Slack app (or set SLACK_CLIENT_ID/SECRET/STATE_SECRET for OAuth)');
  }
  if (e.SLACK_APP_TOKEN === undefined && e.SLACK_SIGNING_SECRET === undefined) {
    problems.push('SLACK_SIGNING_SECRET: required to verify Slack requests over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  }
  if (e.SLACK_APP_TOKEN !== undefined && !e.SLACK_APP_TOKEN.startsWith('xapp-')) {
    problems.push('SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
  }
  if (e.SLACK_BOT_TOKEN !== undefined && !e.SLACK_BOT_TOKEN.startsWith('xoxb-')) {
    problems.push('SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  }
  const complete = anyOauth && !oauthVars.includes(undefined);
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    botToken: e.SLACK_BOT_TOKEN,
    appToken: e.SLACK_APP_TOKEN,
    oauth: complete ? { clientId: e.SLACK_CLIENT_ID!, clientSecret: e.SLACK_CLIENT_SECRET!, stateSecret: e.SLACK_STATE_SECRET! } : undefined,
    apiUrl: withSlash(e.SLACK_API_URL ?? 'https://slack.com/api/'),
    filesUrl: withSlash(e.SLACK_FILES_URL ?? 'https://files.slack.com/'),
    historyTier: e.SLACK_HISTORY_TIER ?? 'limited',
    streaming: e.HIVE_SLACK_STREAMING !== 'off',
  };
}

/** Every secret in the Slack settings, for the logger to scrub. */
export function slackSecrets(c: SlackConfig): (string | undefined)[] {
  return [c.signingSecret, c.botToken, c.appToken, c.oauth?.clientSecret, c.oauth?.stateSecret];
}

function withSlash(u: string): string {
  return u.endsWith('/') ? u : `${u}/`;
}
