import type { App, BlockAction, webApi } from '@slack/bolt';
import { pressedCommand, type ActionOffer } from '../../../src/chat/answer-actions.ts';
import type { Invocation } from '../../../src/chat/invocation.ts';
import { ACTION_ID, pressedOffer } from './action-blocks.ts';
import { isTeamId } from './body-shape.ts';
import { workspaceIdFor, type SlackDeps } from './deps.ts';
import { buildInvocation } from './invocation.ts';
import { slackAddressCodec, slackResponder, type ResponseUrlPost, type SlackJobAddress } from './job-address.ts';

/**
 * Presses on Hive's buttons (re-run, consensus, confirm, cancel) and feedback buttons: acked at
 * once, then run as the action's verb, as if the presser had typed it in the answer's thread. A
 * redelivered interaction is dropped by the delivery claims (its trigger id) before it gets here;
 * two presses of one button are two interactions, and the core runs the action once.
 */
export function registerPresses(app: App, deps: SlackDeps): void {
  app.action<BlockAction>({ type: 'block_actions', action_id: ACTION_ID }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const offer = pressedOffer(action);
    const inv = offer ? pressInvocation(deps, { body, offer, client, respond }) : undefined;
    if (!inv) return void deps.log.info({ actionId: (action as { action_id?: string }).action_id }, 'Slack button press ignored: not a Hive action');
    void deps.host.dispatcher.handle(inv);
  });
}

interface Press {
  body: BlockAction;
  offer: ActionOffer;
  client: webApi.WebClient;
  respond: (m: { response_type: 'ephemeral' | 'in_channel'; replace_original: false; text: string; blocks: unknown[] }) => Promise<unknown>;
}

/** Where a press's answer goes: the answer's thread, or (a button on a private message) the channel with `response_url`. */
function addressOf(deps: SlackDeps, p: Press, command: string): SlackJobAddress | undefined {
  const b = p.body;
  const teamId = b.team?.id ?? b.user.team_id;
  const channelId = b.channel?.id ?? (b.container as { channel_id?: string } | undefined)?.channel_id;
  if (!isTeamId(teamId) || typeof channelId !== 'string' || channelId === '') return undefined;
  const placeholder = !deps.host.commands.find(command)?.quick;
  const common = { teamId, channelId, userId: b.user.id, placeholder };
  const container = b.container as { is_ephemeral?: boolean } | undefined;
  const message = b.message as { ts?: string; thread_ts?: string } | undefined;
  const threadTs = message?.thread_ts ?? message?.ts;
  if (container?.is_ephemeral || !threadTs) return { kind: 'slash', ...common, ...(b.response_url ? { responseUrl: b.response_url } : {}) };
  return { kind: 'thread', ...common, threadTs };
}

function pressInvocation(deps: SlackDeps, p: Press): Invocation | undefined {
  const { command, text } = pressedCommand(p.offer);
  const address = addressOf(deps, p, command);
  if (!address) return undefined;
  const viaUrl: ResponseUrlPost = async (type, m) => {
    await p.respond({ response_type: type, replace_original: false, text: m.text, blocks: m.blocks });
  };
  const responder = slackResponder(deps, p.client, address, { command, text }, p.body.response_url ? viaUrl : undefined);
  const { teamId, channelId, userId } = address;
  const id = p.body.trigger_id || (p.body.actions[0] as { action_ts?: string } | undefined)?.action_ts;
  return buildInvocation({
    teamId,
    channelId,
    userId,
    ...(address.kind === 'thread' ? { threadTs: address.threadTs! } : {}),
    command,
    text,
    responder,
    readAttachment: deps.files.reader(workspaceIdFor(teamId)),
    isAdmin: () => deps.admin.isAdmin(p.client, teamId, userId),
    canRead: (where) => deps.membership.isMember(p.client, teamId, where.channelId, userId),
    usersNamed: (name) => deps.directory.named(p.client, teamId, name),
    ...(id
      ? {
          queue: () => {
            responder.standDown();
            return { id: `slack:action:${id}`, ...slackAddressCodec.encode(address) };
          },
        }
      : {}),
  });
}
