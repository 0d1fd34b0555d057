import { Routes, type REST } from 'discord.js';
import { liveEdits } from './deliver.ts';
import type { Invocation } from '../../../src/chat/invocation.ts';
import type { OutMessage } from './message-body.ts';
import type { PostLog } from './post-log.ts';
import { renderDiscordMessages } from './render.ts';
import type { InteractionReplies } from './replies.ts';
import { postMessages } from './send.ts';
import { keepTyping } from './typing.ts';

/** What a press's answer needs besides its address: the job's id and post log, the edit pace, and whether an earlier run may have posted. */
export interface PressSideOptions {
  jobId: string;
  log: PostLog;
  streamEditMs: number;
  resumed: boolean;
}

/**
 * A press's answer: a public one (a re-run) is a new message where the answer was, shown while it
 * runs as a live placeholder with its plan and Cancel (as a slash command's deferred reply is), then
 * replaced by the answer; a private one (a refusal, a vote, "Cancelling…") reaches only the presser.
 * The placeholder is the answer's first part (`c0` in the post log), so it is never posted twice.
 */
export function pressSide(
  rest: REST,
  a: { channelId: string },
  replies: InteractionReplies,
  o: PressSideOptions,
): Pick<Invocation, 'respond' | 'onText' | 'progress'> & { done(): void } {
  const typing = keepTyping(() => rest.post(Routes.channelTyping(a.channelId)));
  const job = { jobId: o.jobId, log: o.log };
  let shown: string | undefined;
  // Once shown with Cancel the placeholder is Components V2, and stays so (as may one an earlier run posted).
  const show = async (m: OutMessage) => {
    typing.stop();
    [shown] = await postMessages(rest, a.channelId, [{ ...m, v2: true }], { ...job, from: 0 });
  };
  const live = liveEdits(show, o.streamEditMs);
  return {
    respond: (reply) =>
      live.final(async () => {
        typing.stop();
        const parts = renderDiscordMessages(reply, { echoQuestion: reply.visibility !== 'private' });
        if (reply.visibility !== 'private') {
          if (shown !== undefined || o.resumed) parts[0] = { ...parts[0]!, v2: true };
          return void (await postMessages(rest, a.channelId, parts, { ...job, from: 0 }));
        }
        if (shown !== undefined) await rest.delete(Routes.channelMessage(a.channelId, shown)).catch(() => undefined);
        for (const [k, m] of parts.entries()) await replies.followUp(k + 1, m, true);
      }),
    onText: (delta) => live.stream(delta),
    progress: async (note) => live.note(note),
    done: typing.stop,
  };
}
