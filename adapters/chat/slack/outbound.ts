import type { InstallationStore, webApi } from '@slack/bolt';
import type { MessageRef, MessageTarget } from '../../../src/chat/chat-adapter.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { teamIdOfWorkspace } from './deps.ts';
import { renderReply, type SlackMessage } from './render.ts';

/** Messages Hive sends on its own (no request to answer): posts and edits through the Web API. */
export interface SlackOutbound {
  post(target: MessageTarget, reply: Reply): Promise<MessageRef>;
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  /** The workspace's bot token (the single one, or its installation's), for other Web API reads. */
  tokenFor(workspaceId: string): Promise<string>;
}

export interface SlackOutboundOptions {
  client: webApi.WebClient;
  /** The single workspace's bot token; absent with OAuth, where each workspace's is looked up. */
  botToken: string | undefined;
  installations: Pick<InstallationStore, 'fetchInstallation'> | undefined;
}

/** Posts within Slack's limits (long replies continue in the thread), with the workspace's own bot token. */
export function createSlackOutbound(o: SlackOutboundOptions): SlackOutbound {
  const tokenFor = async (workspaceId: string): Promise<string> => {
    const teamId = teamIdOfWorkspace(workspaceId);
    const token = o.installations
      ? (await o.installations.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token
      : o.botToken;
    if (!token) throw new Error(`No Slack bot token for team ${teamId}`);
    return token;
  };
  const postPart = async (token: string, channel: string, m: SlackMessage, threadTs: string | undefined) => {
    const r = await o.client.chat.postMessage({
      token,
      channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      text: m.text,
      blocks: m.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return r.ts ?? '';
  };
  return {
    tokenFor,
    async post(target, reply) {
      const token = await tokenFor(target.workspaceId);
      const [first, ...rest] = renderReply(reply);
      const ts = await postPart(token, target.channelId, first!, target.threadId);
      for (const m of rest) await postPart(token, target.channelId, m, target.threadId ?? ts);
      return { workspaceId: target.workspaceId, channelId: target.channelId, messageId: ts, ...(target.threadId ? { threadId: target.threadId } : {}) };
    },
    async edit(ref, reply) {
      const token = await tokenFor(ref.workspaceId);
      const [first, ...rest] = renderReply(reply);
      await o.client.chat.update({ token, channel: ref.channelId, ts: ref.messageId, text: first!.text, blocks: first!.blocks });
      for (const m of rest) await postPart(token, ref.channelId, m, ref.threadId ?? ref.messageId);
    },
  };
}
