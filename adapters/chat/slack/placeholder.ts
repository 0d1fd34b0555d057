import type { webApi } from '@slack/bolt';
import type { SlackDeps } from './deps.ts';
import { renderReply, type RenderOptions, type SlackMessage } from './render.ts';
import { truncate } from './split.ts';
import { createUpdateGate, type UpdateGate } from './update-gate.ts';

export interface PlaceholderOptions {
  client: webApi.WebClient;
  channel: string;
  threadTs?: string;
  render: RenderOptions;
  /** The question as typed, echoed in the placeholder. */
  question?: string;
  /** Post one when the job outlasts `placeholderDelayMs`; otherwise only `progress()` posts one. */
  auto: boolean;
}

/** The "working on it" message of a slow job, and the gate every write to it goes through. */
export interface Placeholder {
  /** Every write to this answer's first message (placeholder, updates, the answer) goes through it. */
  gate: UpdateGate;
  /** Shows a progress note (lane and models): in the placeholder once it is up, or now if none is automatic. */
  note(text: string): void;
  /** Adds streamed answer text; shown when a placeholder exists. */
  stream(delta: string): void;
  /** Stops further placeholder writes and returns its ts, if one was posted. */
  settle(): Promise<string | undefined>;
}

/** A placeholder that shows the note and the streamed text so far, updated at most once per interval. */
export function createPlaceholder(deps: SlackDeps, o: PlaceholderOptions): Placeholder {
  const gate = createUpdateGate(deps.timing.updateIntervalMs, deps.clock, (err) => deps.log.warn({ err }, 'placeholder update failed'));
  const timer = new AbortController();
  const s = { streamed: '', note: '', done: false, ts: undefined as Promise<string | undefined> | undefined };
  const draft = (): SlackMessage => draftMessage(s.streamed, s.note, o);
  const post = () => {
    if (s.done || s.ts) return;
    s.ts = gate
      .final(() => o.client.chat.postMessage({ channel: o.channel, ...(o.threadTs ? { thread_ts: o.threadTs } : {}), ...draft(), unfurl_links: false, unfurl_media: false }))
      .then((r) => r.ts, (err: unknown) => void deps.log.warn({ err }, 'could not post a placeholder'));
  };
  const refresh = () => {
    const posted = s.ts;
    if (!posted || s.done) return;
    gate.offer(async () => {
      const ts = await posted;
      if (ts && !s.done) await o.client.chat.update({ channel: o.channel, ts, ...draft() });
    });
  };
  if (o.auto) deps.clock.sleep(deps.timing.placeholderDelayMs, timer.signal).then(post, () => undefined);
  return {
    gate,
    note(text) {
      s.note = text;
      if (s.ts) refresh();
      else if (!o.auto) post(); // an automatic placeholder shows the note when its delay is up
    },
    stream(delta) {
      s.streamed += delta;
      refresh();
    },
    async settle() {
      s.done = true;
      timer.abort();
      return s.ts;
    },
  };
}

function draftMessage(streamed: string, note: string, o: PlaceholderOptions): SlackMessage {
  const footer = `:hourglass_flowing_sand: ${note || 'Working on it…'}`;
  const text = streamed.trim() ? truncate(streamed, 2800) : '_Thinking…_';
  return renderReply({ text, footer, visibility: 'channel', ...(o.question ? { question: o.question } : {}) }, o.render)[0]!;
}
