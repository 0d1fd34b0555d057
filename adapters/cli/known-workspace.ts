import type { Hive } from '../../src/app/hive.ts';
import { UserError } from '../../src/errors.ts';

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
export async function requireKnownWorkspace(hive: Traces, ws: string, force: boolean): Promise<void> {
  if (force || (await workspaceKnown(hive, ws))) return;
  throw new UserError(
    `Hive has not met ${ws}: no installation, settings, keys or usage for it. Check the id (Slack: the T… id in the workspace's web address, app.slack.com/client/T…; Discord: Copy Server ID, with Developer Mode on). To store a key before the workspace's first command, add --force.`,
    'usage',
  );
}
