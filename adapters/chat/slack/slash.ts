import type { App, RespondFn, SlashCommand, webApi } from '@slack/bolt';
import type { Invocation } from '../../../src/chat/invocation.ts';
import type { SlackDeps } from './deps.ts';
import { recordExchange } from '../../../src/chat/exchange.ts';
import { buildInvocation } from './invocation.ts';
import type { KeyForm } from './key-modal.ts';
import type { SlackMessage } from './render.ts';
import { createResponder } from './responder.ts';

/**
 * Every slash command (`/ask`, `/hive`, `/consensus`, or renamed ones): ack at once with an empty
 * body, then run the command and post the answer in the channel (or privately, as the reply says).
 */
export function registerSlashCommands(app: App, deps: SlackDeps, keyForm: KeyForm): void {
  app.command(/^\/[\w-]+$/, async ({ command, ack, client, respond }) => {
    await ack();
    void deps.host.dispatcher.handle(slashInvocation(deps, keyForm, command, client, respond));
  });
}

function slashInvocation(deps: SlackDeps, keyForm: KeyForm, cmd: SlashCommand, client: webApi.WebClient, respond: RespondFn): Invocation {
  const name = cmd.command.replace(/^\//, '').toLowerCase();
  const traits = deps.host.commands.find(name);
  const viaResponseUrl = (type: 'ephemeral' | 'in_channel') => async (m: SlackMessage) => {
    await respond({ response_type: type, replace_original: false, text: m.text, blocks: m.blocks });
  };
  const responder = createResponder(deps, {
    client,
    channel: cmd.channel_id,
    userId: cmd.user_id,
    placeholder: !traits?.quick,
    question: cmd.text,
    render: { askerId: cmd.user_id, echoQuestion: true },
    ephemeral: viaResponseUrl('ephemeral'),
    fallbackPublic: async (msgs) => {
      for (const m of msgs) await viaResponseUrl('in_channel')(m);
    },
    onPosted: (ts, reply) => recordExchange(deps, { scope: cmd.team_id, channelId: cmd.channel_id, threadId: ts }, traits, cmd.text, reply),
  });
  return buildInvocation({
    teamId: cmd.team_id,
    channelId: cmd.channel_id,
    userId: cmd.user_id,
    command: name,
    text: cmd.text,
    responder,
    isAdmin: () => deps.admin.isAdmin(client, cmd.team_id, cmd.user_id),
    openKeyForm: () => keyForm.open(client, cmd.trigger_id, cmd.team_id, cmd.channel_id),
  });
}
