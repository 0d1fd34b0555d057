import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { Invocation } from '../../../src/chat/invocation.ts';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { isTeamId } from './body-shape.ts';
import type { AttachmentRef } from '../../../src/shared/attachment.ts';
import { buildInvocation } from './invocation.ts';
import type { KeyForm } from './key-modal.ts';
import { slackAddressCodec, slackResponder, type ResponseUrlPost, type SlackJobAddress } from './job-address.ts';

/**
 * Every slash command (`/ask`, `/hive`, `/consensus`, or renamed ones): ack at once with an empty
 * body, then run the command and post the answer in the channel (or privately, as the reply says).
 */
export function registerSlashCommands(app: App, deps: SlackDeps, keyForm: KeyForm): void {
  app.command(/^\/[\w-]+$/, async ({ command, ack, client, respond }) => {
    await ack();
    const files = await recentFiles(deps, command);
    void deps.host.dispatcher.handle(slashInvocation(deps, keyForm, command, client, respond, files));
  });
}

/**
 * A slash command carries no files on Slack: `/ask` and `/consensus` (the conversational verbs)
 * take the files the asker shared in the same conversation in the last ten minutes.
 */
async function recentFiles(deps: SlackDeps, cmd: SlashCommand): Promise<AttachmentRef[]> {
  const traits = deps.host.commands.find(cmd.command.replace(/^\//, '').toLowerCase());
  if (!traits?.conversational || traits.action || !isTeamId(cmd.team_id)) return [];
  return deps.files.recent({ workspaceId: workspaceIdFor(cmd.team_id), channelId: cmd.channel_id, userId: cmd.user_id });
}

function slashInvocation(
  deps: SlackDeps,
  keyForm: KeyForm,
  cmd: SlashCommand,
  client: webApi.WebClient,
  respond: RespondFn,
  files: AttachmentRef[],
): Invocation {
  const name = cmd.command.replace(/^\//, '').toLowerCase();
  const address: SlackJobAddress = {
    kind: 'slash',
    teamId: cmd.team_id,
    channelId: cmd.channel_id,
    userId: cmd.user_id,
    responseUrl: cmd.response_url,
    placeholder: !deps.host.commands.find(name)?.quick,
  };
  const viaUrl: ResponseUrlPost = async (type, m) => {
    await respond({ response_type: type, replace_original: false, text: m.text, blocks: m.blocks });
  };
  const responder = slackResponder(deps, client, address, { command: name, text: cmd.text, files }, viaUrl);
  return buildInvocation({
    teamId: cmd.team_id,
    channelId: cmd.channel_id,
    userId: cmd.user_id,
    command: name,
    text: cmd.text,
    ...(files.length > 0 ? { attachments: files, readAttachment: deps.files.reader(workspaceIdFor(cmd.team_id)) } : {}),
    responder,
    isAdmin: () => deps.admin.isAdmin(client, cmd.team_id, cmd.user_id),
    // A Slack thread has its channel's members.
    canRead: ({ channelId }) => deps.membership.isMember(client, cmd.team_id, channelId, cmd.user_id),
    usersNamed: (name) => deps.directory.named(client, cmd.team_id, name),
    openKeyForm: () => keyForm.open(client, cmd.trigger_id, cmd.team_id, cmd.channel_id),
    queue: () => {
      responder.standDown();
      return { id: `slack:slash:${cmd.trigger_id}`, ...slackAddressCodec.encode(address) };
    },
  });
}
