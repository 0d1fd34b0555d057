import type { Hive } from '../../src/app/hive.ts';
import { UserError } from '../../src/shared/errors.ts';

/** How long the platform may take to say whether the bot is in a workspace. */
const ASK_MS = 5_000;

/** The part of Hive the check reads: what each workspace left behind. */
type Traces = Pick<Hive, 'keys' | 'store' | 'logs'>;

/**
 * Whether Hive has met the workspace: the terminal's, or one with an installation, settings, keys
 * or booked calls. A well-formed id nobody installed Hive in (`slack:T0TYPO`) has none of these.
 */
export async function workspaceKnown(hive: Traces, ws: string): Promise<boolean> {
  if (ws === 'local') return true;
  const [platform, id] = [ws.slice(0, ws.indexOf(':')), ws.slice(ws.indexOf(':') + 1)];
  if (platform === 'slack') {
    const installs = hive.store.ns('installations');
    if ((await installs.has(`team:${id}`)) || (await installs.has(`enterprise:${id}`))) return true;
  }
  if (await hive.store.ns('settings').has(ws)) return true;
  if ((await hive.keys.list(ws)).length > 0) return true;
  const booked = await hive.logs.selectFrom('ledger').select('id').where('workspace_id', '=', ws).limit(1).executeTakeFirst();
  return booked !== undefined;
}

/**
 * Refuses to store a key for a workspace Hive has never met, unless `force` (registering a key
 * before the workspace's first command): a typo'd or wrong-case id would otherwise hold a key
 * that no chat ever uses, reported as stored and verified.
 */
export async function requireKnownWorkspace(hive: Traces, ws: string, force: boolean, env: NodeJS.ProcessEnv = {}): Promise<void> {
  if (force || (await workspaceKnown(hive, ws)) || (await platformVouches(ws, env))) return;
  throw new UserError(
    `Hive has not met ${ws}: no installation, settings, keys or usage for it. Check the id (Slack: the T… id in the workspace's web address, app.slack.com/client/T…; Discord: Copy Server ID, with Developer Mode on). To store a key before the workspace's first command, add --force.`,
    'usage',
  );
}

/**
 * Whether the platform this process is configured for says the bot is in the workspace: the Slack
 * bot token's own team (`auth.test`), or a Discord server the bot is a member of. This is the usual
 * first step, a key given before the workspace's first command.
 */
export async function platformVouches(ws: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const id = ws.slice(ws.indexOf(':') + 1);
  try {
    if (ws.startsWith('slack:') && env.SLACK_BOT_TOKEN) return (await slackTeams(env.SLACK_BOT_TOKEN, env.SLACK_API_URL)).includes(id);
    if (ws.startsWith('discord:') && env.DISCORD_TOKEN) return await inDiscordGuild(id, env.DISCORD_TOKEN, env.DISCORD_API_URL);
  } catch {
    return false; // unreachable or refused: the operator can still say --force
  }
  return false;
}

async function slackTeams(token: string, apiUrl = 'https://slack.com/api/'): Promise<string[]> {
  const url = new URL('auth.test', apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(ASK_MS) });
  const body = (await res.json()) as { ok?: boolean; team_id?: unknown; enterprise_id?: unknown };
  return body.ok ? [body.team_id, body.enterprise_id].filter((x): x is string => typeof x === 'string') : [];
}

async function inDiscordGuild(guildId: string, token: string, apiUrl = 'https://discord.com/api'): Promise<boolean> {
  const res = await fetch(`${apiUrl.replace(/\/$/, '')}/v10/guilds/${guildId}`, {
    headers: { authorization: `Bot ${token}` },
    signal: AbortSignal.timeout(ASK_MS),
  });
  await res.body?.cancel();
  return res.ok;
}
