import type { App, InstallationQuery } from '@slack/bolt';
import type { SlackDeps } from './deps.ts';
import { workspaceIdFor } from './deps.ts';

/** The part of the installation store uninstalling needs (absent for a single-workspace token). */
export interface InstallationRemover {
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void>;
}

/**
 * `app_uninstalled` and `tokens_revoked` (bot token): the workspace's installation and every
 * vendor key it registered are deleted, so nothing of a departed workspace stays usable.
 */
export function registerUninstall(app: App, deps: SlackDeps, installations: InstallationRemover | undefined): void {
  const forget = async (why: string, teamId: string | undefined, enterpriseId: string | undefined, isEnterpriseInstall: boolean) => {
    if (!teamId && !enterpriseId) return;
    await installations?.deleteInstallation({ teamId, enterpriseId, isEnterpriseInstall });
    if (teamId) await deps.host.keys.removeWorkspace(workspaceIdFor(teamId));
    deps.log.info({ teamId, enterpriseId, why }, 'Slack workspace removed: installation and vendor keys deleted');
  };
  app.event('app_uninstalled', async ({ context }) => {
    await forget('app_uninstalled', context.teamId, context.enterpriseId, context.isEnterpriseInstall);
  });
  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await forget('tokens_revoked', context.teamId, context.enterpriseId, context.isEnterpriseInstall);
  });
}
