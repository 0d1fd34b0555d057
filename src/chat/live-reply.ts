import { type Clock, systemClock } from '../shared/clock.ts';
import type { Logger } from '../shared/log.ts';

/** What a live reply shows while its job runs: the latest progress note and the answer streamed so far. */
export interface LiveDraft {
  note: string;
  streamed: string;
}

/** The two writes a live reply needs from a platform; the adapter renders the draft in its own format. */
export interface MessageSink<Ref> {
  /** Posts the placeholder; resolves with its ref (undefined if the platform returned none). */
  post(draft: LiveDraft): Promise<Ref | undefined>;
  edit(ref: Ref, draft: LiveDraft): Promise<void>;
}

export interface LiveReplyOptions<Ref> {
  sink: MessageSink<Ref>;
  clock: Clock;
  /** A job still running after this long gets a placeholder (when `auto`). */
  delayMs: number;
  /** Minimum spacing of writes to the message (the platform's edit rate). */
  intervalMs: number;
  /** Post one when the job outlasts `delayMs`; otherwise only `note()` posts one. */
  auto: boolean;
  log: Logger;
  /** A message an earlier run of this job posted (a resumed job): edited from the start, never posted again. */
  existing?: Ref;
}

/** The "working on it" message of a slow job, and the gate every write to its message goes through. */
export interface LiveReply<Ref> {
  /** Every write to this answer's first message (placeholder, edits, the answer) goes through it. */
  gate: UpdateGate;
  /** Shows a progress note: in the placeholder once it is up, or now if none is automatic. */
  note(text: string): void;
  /** Adds streamed answer text; shown when a placeholder exists. */
  stream(delta: string): void;
  /** Stops further placeholder writes and returns its ref, if one was posted. */
  settle(): Promise<Ref | undefined>;
}

/**
 * One platform-neutral placeholder: posted after a delay, edited at most once per interval (latest
 * state wins), and the final write through `gate.final` is never dropped.
 */
export function createLiveReply<Ref>(o: LiveReplyOptions<Ref>): LiveReply<Ref> {
  const gate = createUpdateGate(o.intervalMs, o.clock, (err) => o.log.warn({ err }, 'placeholder update failed'));
  const timer = new AbortController();
  const s = {
    streamed: '',
    note: '',
    done: false,
    ref: o.existing === undefined ? undefined : (Promise.resolve(o.existing) as Promise<Ref | undefined> | undefined),
  };
  const draft = (): LiveDraft => ({ note: s.note, streamed: s.streamed });
  const post = () => {
    if (s.done || s.ref) return;
    s.ref = gate
      .final(() => o.sink.post(draft()))
      .then(
        (ref) => ref,
        (err: unknown) => void o.log.warn({ err }, 'could not post a placeholder'),
      );
  };
  const refresh = () => {
    const posted = s.ref;
    if (!posted || s.done) return;
    gate.offer(async () => {
      const ref = await posted;
      if (ref !== undefined && !s.done) await o.sink.edit(ref, draft());
    });
  };
  if (o.auto && !s.ref) o.clock.sleep(o.delayMs, timer.signal).then(post, () => undefined);
  return {
    gate,
    note(text) {
      s.note = text;
      if (s.ref) refresh();
      else if (!o.auto) post(); // an automatic placeholder shows the note when its delay is up
    },
    stream(delta) {
      s.streamed += delta;
      refresh();
    },
    async settle() {
      s.done = true;
      timer.abort('settled'); // a constant reason: no AbortError built per answer
      return s.ref;
    },
  };
}

/**
 * Serialises writes to one chat message and spaces them at least `intervalMs` apart, so a
 * streaming answer respects the platform's edit rate (Slack's `chat.update`: about one a second) and never lands out of order.
 */
export interface UpdateGate {
  /** Latest wins: intermediate writes offered while waiting are dropped. */
  offer(write: () => Promise<void>): void;
  /** Runs after every earlier write, at the next free slot; rejects if `write` does. */
  final<T>(write: () => Promise<T>): Promise<T>;
  /** Resolves once queued writes have run. */
  idle(): Promise<void>;
}

/** One gate per message: `offer` for intermediate states, `final` for the write that must land. */
export function createUpdateGate(intervalMs: number, clock: Clock = systemClock, onError: (err: unknown) => void = () => undefined): UpdateGate {
  let last = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();
  let pending: (() => Promise<void>) | undefined;
  let scheduled = false;
  const waitSlot = async () => {
    const wait = last + intervalMs - clock.now();
    if (wait > 0) await clock.sleep(wait);
  };
  const run = async <T>(write: () => Promise<T>): Promise<T> => {
    await waitSlot();
    last = clock.now();
    return write();
  };
  return {
    offer(write) {
      pending = write;
      if (scheduled) return;
      scheduled = true;
      chain = chain.then(async () => {
        await waitSlot();
        scheduled = false;
        const w = pending;
        pending = undefined;
        if (w) await run(w).catch(onError);
      });
    },
    final(write) {
      pending = undefined;
      const result = chain.then(() => run(write));
      chain = result.catch(() => undefined);
      return result;
    },
    async idle() {
      await chain;
    },
  };
}
