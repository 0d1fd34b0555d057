import { ACTION_KINDS, type ActionOffer } from '../../src/chat/answer-actions.ts';
import type { Invocation, Progress, Reply } from '../../src/chat/invocation.ts';
import type { Harness } from './hive-harness.ts';

/** A chat line sent on a platform that shows every action: its reply, and the progress notes seen meanwhile. */
export interface ActionLine {
  reply: Promise<Reply>;
  notes: Progress[];
}

/** One chat line on a platform that shows every action, as `user` (the asker `U-ask` unless named), with its progress notes. */
export function sendLine(
  hive: Harness['hive'],
  command: string,
  text: string,
  who: { userId?: string; admin?: boolean; jobId?: string } = {},
  extra: Partial<Pick<Invocation, 'attachments' | 'readAttachment'>> = {},
): ActionLine {
  const notes: Progress[] = [];
  const reply = new Promise<Reply>((resolve) => {
    const inv: Invocation = {
      platform: 'test',
      workspaceId: 'local',
      channelId: 'C-test',
      userId: who.userId ?? 'U-ask',
      command,
      text,
      actions: ACTION_KINDS,
      ...(who.jobId ? { jobId: who.jobId } : {}),
      ...extra,
      isAdmin: async () => who.admin === true,
      respond: async (r) => resolve(r),
      progress: async (p) => void notes.push(p),
    };
    void hive.dispatcher.handle(inv);
  });
  return { reply, notes };
}

/** The action of a kind a reply offers, if it offers one. */
export const offerOf = (r: Reply, kind: ActionOffer['kind']) => r.actions?.find((a) => a.kind === kind);
