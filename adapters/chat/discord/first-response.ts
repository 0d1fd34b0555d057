import { InteractionResponseType, MessageFlags, Routes, type ChatInputCommandInteraction } from 'discord.js';
import type { Reply } from '../../../src/chat/invocation.ts';
import { UserError } from '../../../src/shared/errors.ts';
import { keyFormModal } from './key-form.ts';
import { messageBody } from './message-body.ts';
import { renderDiscordMessages } from './render.ts';

/**
 * How long a command may take before its reply is deferred, from the interaction's arrival:
 * Discord's limit is 3 s, and the rest leaves room for a slow store claim and a loaded machine.
 */
export const DEFER_AFTER_MS = 1_500;

/** The first response of a slash command, made once what it is becomes known. */
export interface FirstResponse {
  /** Sends `reply` as the first response (private); false when the reply was deferred, so the caller edits it in. */
  answer(reply: Reply): Promise<boolean>;
  /** Defers the reply now (if nothing answered yet) and resolves once Discord has it: before the original is edited. */
  deferred(): Promise<void>;
  /** Opens the key form, which can only be the first response. */
  openForm(): Promise<void>;
  /** Stops the deferral timer. */
  done(): void;
}

/**
 * A refusal people get at once (a usage error, an unknown model, no keys, a job held for
 * confirmation) is the interaction's own private reply, never a public "thinking…" deleted after.
 * What is still running after `DEFER_AFTER_MS` is deferred: privately for a quick command, publicly
 * for a model job, whose answer then edits it in. A quick command answers everything as its first
 * response; a model job only private replies (a public answer goes through the deferred reply).
 */
export function firstResponse(i: ChatInputCommandInteraction, o: { quick: boolean; receivedAt: number; now: () => number }): FirstResponse {
  let state: 'open' | 'deferred' | 'answered' = 'open';
  let deferring: Promise<void> = Promise.resolve();
  const defer = () => {
    if (state !== 'open') return deferring;
    state = 'deferred';
    clearTimeout(timer);
    deferring = i.deferReply(o.quick ? { flags: MessageFlags.Ephemeral } : {}).then(() => undefined);
    return deferring;
  };
  const timer = setTimeout(() => void defer().catch(() => undefined), Math.max(0, o.receivedAt + DEFER_AFTER_MS - o.now()));
  return {
    async answer(reply) {
      if (state === 'answered') return true; // the form was the response: nothing more can be sent
      if (state === 'open' && (o.quick || reply.visibility === 'private')) {
        state = 'answered';
        clearTimeout(timer);
        await replyPrivately(i, reply);
        return true;
      }
      await defer();
      return false;
    },
    deferred: () => (state === 'answered' ? Promise.resolve() : defer()),
    async openForm() {
      if (state !== 'open') throw new UserError('The form can only open right away: run `/hive keys` again.', 'form_late');
      clearTimeout(timer);
      await i.showModal(keyFormModal());
      // Only once it is open: a form that failed leaves the first response to the error reply.
      state = 'answered';
    },
    done: () => clearTimeout(timer),
  };
}

/** A reply as the interaction's own private response (buttons included: a held job's Confirm), the rest as private follow-ups. */
async function replyPrivately(i: ChatInputCommandInteraction, reply: Reply): Promise<void> {
  const [first, ...rest] = renderDiscordMessages(reply);
  const rest$ = i.client.rest;
  const data = messageBody(first!, { ephemeral: true });
  await rest$.post(Routes.interactionCallback(i.id, i.token), { body: { type: InteractionResponseType.ChannelMessageWithSource, data }, auth: false });
  for (const m of rest) {
    await rest$.post(Routes.webhook(i.applicationId, i.token), { body: messageBody(m, { ephemeral: true }), auth: false });
  }
}
