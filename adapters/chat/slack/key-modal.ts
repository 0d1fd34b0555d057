import type { App, webApi } from '@slack/bolt';
import { UserError } from '../../../src/shared/errors.ts';
import { newErrorId } from '../../../src/shared/ids.ts';
import type { Vendor } from '../../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../../src/models/vendor-info.ts';
import { isTeamId, teamIdOf } from './body-shape.ts';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { doneView, KEY_VIEW_ID, keyFormView, parseMeta, readKeyInput, verifyingView } from './key-view.ts';
import { truncate } from './split.ts';

/** Opens the private key form; the Invocation's `openKeyForm` for slash commands. */
export interface KeyForm {
  open(client: webApi.WebClient, triggerId: string, teamId: string, channelId: string): Promise<void>;
}

type Outcome = { ok: true; message: string } | { ok: false; block: 'vendor' | 'key'; message: string };

/** `views.open` with the workspace's key status; the trigger expires 3 s after the command. */
export function createKeyForm(deps: SlackDeps): KeyForm {
  return {
    async open(client, triggerId, teamId, channelId) {
      const statuses = await deps.host.keys.list(workspaceIdFor(teamId));
      await client.views.open({ trigger_id: triggerId, view: keyFormView(statuses, { channel: channelId }) });
    },
  };
}

/**
 * The form's submission: admin re-checked, key verified by the vendor then stored encrypted.
 * Failures come back inline (`response_action: errors`) when the vendor answers within the submit's
 * deadline; a slower vendor gets a "verifying" view that is updated with the outcome.
 */
export function registerKeyModal(app: App, deps: SlackDeps): void {
  app.view(KEY_VIEW_ID, async ({ ack, body, view, client }) => {
    const teamId = teamIdOf(body as unknown as Record<string, unknown>, 'view');
    if (!isTeamId(teamId)) {
      deps.log.warn('Slack key form submitted without a team id; refused');
      return ack({ response_action: 'errors', errors: { key: 'Slack did not say which workspace this is. Open the form again with /hive keys.' } });
    }
    const userId = body.user.id;
    const input = readKeyInput(view.state.values);
    const work = submit(deps, client, teamId, userId, input.vendor, input.key);
    const early = await withinDeadline(deps, work);
    if (early) {
      if (!early.ok) return ack({ response_action: 'errors', errors: { [early.block]: early.message } });
      await ack();
      return confirm(deps, client, view.private_metadata, userId, early.message);
    }
    await ack({ response_action: 'update', view: verifyingView(input.vendor) });
    const late = await work;
    const meta = parseMeta(view.private_metadata) ?? { channel: '' };
    const next = late.ok ? doneView(late.message) : keyFormView(await deps.host.keys.list(workspaceIdFor(teamId)), meta, late.message);
    await client.views.update({ view_id: view.id, view: next });
  });
}

async function submit(deps: SlackDeps, client: webApi.WebClient, teamId: string, userId: string, vendor: Vendor | undefined, key: string): Promise<Outcome> {
  if (!(await deps.admin.isAdmin(client, teamId, userId))) return { ok: false, block: 'key', message: 'Only workspace admins can manage keys.' };
  if (!vendor) return { ok: false, block: 'vendor', message: 'Choose a vendor.' };
  const label = VENDOR_INFO[vendor].label;
  try {
    const info = await deps.host.keys.register(workspaceIdFor(teamId), vendor, key, { verify: true, addedBy: userId });
    deps.log.info({ teamId, userId, vendor, masked: info.masked }, 'vendor key stored from the Slack form');
    return { ok: true, message: `Saved the ${label} key ${info.masked}; ${label} accepted it.` };
  } catch (err) {
    // The typed key is masked in the message by `register` itself; it is never registered as a secret (it may be anything).
    if (err instanceof UserError)
      return { ok: false, block: 'key', message: truncate(deps.host.secrets.forWorkspace(workspaceIdFor(teamId)).scrub(err.message), 300) };
    const errorId = newErrorId();
    deps.log.error({ err, errorId, teamId, vendor }, 'could not store a vendor key');
    return { ok: false, block: 'key', message: `Could not save the key (error ${errorId}). Try again.` };
  }
}

/** The outcome if it is ready before the view deadline, else undefined. */
async function withinDeadline(deps: SlackDeps, work: Promise<Outcome>): Promise<Outcome | undefined> {
  const timer = new AbortController();
  const late = deps.clock.sleep(deps.timing.viewDeadlineMs, timer.signal).then(
    () => undefined,
    () => undefined,
  );
  try {
    return await Promise.race([work, late]);
  } finally {
    timer.abort();
  }
}

async function confirm(deps: SlackDeps, client: webApi.WebClient, rawMeta: string, userId: string, message: string): Promise<void> {
  const meta = parseMeta(rawMeta);
  if (!meta?.channel) return;
  try {
    await client.chat.postEphemeral({ channel: meta.channel, user: userId, text: `:white_check_mark: ${message}` });
  } catch (err) {
    deps.log.debug({ err }, 'could not confirm the stored key in the channel');
  }
}
