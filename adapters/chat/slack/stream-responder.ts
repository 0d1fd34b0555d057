import type { ActionOffer } from '../../../src/chat/answer-actions.ts';
import type { Progress, Reply } from '../../../src/chat/invocation.ts';
import type { SlackDeps } from './deps.ts';
import { actionBlocks } from './action-blocks.ts';
import { createNativeStream } from './native-stream.ts';
import { ANSWER_EVENT } from './posted-answer.ts';
import { questionMessage, renderReply } from './render.ts';
import { draftMessage } from './placeholder.ts';
import { createPlaceholderResponder, deliverPrivately, postPart, type Responder, type ResponderOptions } from './placeholder-responder.ts';
import { createUpdateGate } from '../../../src/chat/live-reply.ts';

/**
 * An answer as a native Slack stream: nothing is posted for a quick answer (one message, as
 * always); once the job outlasts the placeholder delay, or must wait, the stream starts and takes
 * the rest of the text, the wait and consensus members as task updates, and at the end the footer
 * and action buttons. A workspace that refuses streams gets the placeholder instead, at that moment.
 */
export function createStreamResponder(deps: SlackDeps, o: ResponderOptions): Responder {
  const s = {
    mode: 'idle' as 'idle' | 'stream' | 'fallback',
    note: undefined as Progress | undefined,
    streamed: '',
    cancel: undefined as ActionOffer | undefined,
  };
  let fallback: Responder | undefined;
  let header: string | undefined;
  const postHeader = async () => {
    const offers = s.cancel ? [s.cancel] : undefined;
    const draft = draftMessage(
      { note: s.note?.text ?? '', streamed: s.streamed },
      { render: o.render, offers: () => offers, ...(o.question ? { question: o.question } : {}) },
    );
    return (header = (await postPart(o, draft, undefined, o.recorded?.metadata)).ts);
  };
  const stream = createNativeStream(deps, {
    ...o.stream!,
    postHeader,
    client: o.client,
    channel: o.channel,
    ...(o.recorded ? { onStarted: (ts) => o.recorded!.record(ts) } : {}),
  });
  const timer = new AbortController();
  let starting: Promise<void> | undefined;
  /** `timer`: the placeholder delay is up, so a fallback placeholder goes up at once; a note leaves it to its delay. */
  const start = (trigger: 'timer' | 'note') =>
    (starting ??= (async () => {
      await o.recorded?.intend();
      if (await stream.begin()) {
        s.mode = 'stream';
        await offerCancel(o, s.cancel);
        return;
      }
      s.mode = 'fallback';
      // A slash command's question went up to stream under: the placeholder takes that message over.
      const recorded = header ? { recorded: { ...(o.recorded ?? unrecorded(header)), existingTs: header } } : {};
      fallback = createPlaceholderResponder(deps, { ...o, postNow: trigger === 'timer' || header !== undefined, ...recorded });
      if (s.streamed) fallback.onText(s.streamed);
      if (trigger === 'timer' || s.note) await fallback.progress(s.note ?? { text: 'Working on it…', ...(s.cancel ? { actions: [s.cancel] } : {}) });
    })().catch((err: unknown) => deps.log.warn({ err }, 'could not start showing a slow answer')));
  deps.clock.sleep(deps.timing.placeholderDelayMs, timer.signal).then(
    () => start('timer'),
    () => undefined,
  );
  return {
    async progress(note) {
      s.cancel = note.actions?.find((a) => a.kind === 'cancel') ?? s.cancel;
      if (s.mode === 'fallback') return fallback!.progress(note);
      s.note = note;
      if (note.kind === 'wait') stream.task({ id: 'wait', title: note.text, status: 'in_progress' });
      else if (note.kind === 'task' && note.task) stream.task(note.task);
      else stream.plan(note.text);
      if (note.kind === 'wait' || note.kind === 'task') await start('note');
    },
    onText(delta) {
      s.streamed += delta;
      if (s.mode === 'fallback') fallback!.onText(delta);
      else stream.text(delta);
    },
    standDown() {
      timer.abort('queued');
    },
    async respond(reply) {
      timer.abort('answered');
      await starting;
      if (s.mode === 'fallback') return fallback!.respond(reply);
      if (s.mode === 'idle') return createPlaceholderResponder(deps, { ...o, placeholder: false }).respond(reply);
      await finishStream(o, stream, reply);
      // The placeholder a slash command's stream went under now points at its answer.
      if (header) await retitle(o, header, reply.question ?? o.question);
    },
  };
}

/** Stops the stream with the answer (a private reply stops it with a word, then goes to the asker alone). */
async function finishStream(o: ResponderOptions, stream: ReturnType<typeof createNativeStream>, reply: Reply): Promise<void> {
  const gate = createUpdateGate(0);
  if (reply.visibility === 'private') {
    await stream.finish({ text: '_Stopped: the reason went to the asker only._', visibility: 'channel' });
    return deliverPrivately(o, gate, reply, undefined);
  }
  const { threadTs, overflow } = await stream.finish(reply);
  if (overflow.trim()) {
    const rest = renderReply({ text: overflow, visibility: 'channel', ...(reply.links ? { links: reply.links } : {}) }, { echoQuestion: false });
    for (const m of rest) await postPart(o, m, threadTs);
  }
  await o.onPosted?.(threadTs, reply);
}

/** The placeholder a slash command's stream went under, once answered: the question as the answer states it, and where the answer is. */
async function retitle(o: ResponderOptions, ts: string, question: string | undefined): Promise<void> {
  const m = questionMessage(question, o.render);
  const blocks = [...m.blocks, { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: '_Answered in the thread._' }] }];
  await o.client.chat.update({ channel: o.channel, ts, text: m.text, blocks }).catch(() => undefined);
}

/**
 * The Cancel button of a streamed job, as a message only the asker sees: a stream's content cannot
 * be taken back, so a button in it would stay on the finished answer for everyone.
 */
async function offerCancel(o: ResponderOptions, cancel: ActionOffer | undefined): Promise<void> {
  if (!cancel) return;
  const text = 'Hive is still working on your question. Cancel it if you no longer need it.';
  await o.ephemeral({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, ...actionBlocks([cancel])] }).catch(() => undefined);
}

/** The delivery record a placeholder that takes over a slash command's streamed thread starts from. */
export const unrecorded = (existingTs: string) => ({
  metadata: { event_type: ANSWER_EVENT, event_payload: {} },
  existingTs,
  intend: async () => undefined,
  record: async () => undefined,
});
