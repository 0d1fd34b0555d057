import type { Reply } from './invocation.ts';
import type { CapturedMessage } from './capture-event.ts';
import type { ThreadTurn } from './thread-context-rules.ts';
import type { ThreadRef } from './transcripts.ts';
import type { ActionKind } from './answer-actions.ts';

/** Where the core posts without a request: a channel, or a thread in it. */
export interface MessageTarget {
  workspaceId: string;
  channelId: string;
  threadId?: string;
}

/** A posted message as the core holds it: enough for its adapter to find it again; the id is opaque. */
export interface MessageRef {
  workspaceId: string;
  channelId: string;
  /** The platform's message id (Slack's ts, the terminal's answer number). */
  messageId: string;
  threadId?: string;
}

/** One page of a channel's past messages (people's only, as the capture would report them), newest first. */
export interface HistoryPage {
  messages: CapturedMessage[];
  /** Where the next, older page starts; absent when the history back to `since` is read. */
  next?: string;
}

/** A private form the core may ask a platform to open for a user (e.g. Slack's key modal). */
export interface FormRequest {
  form: 'keys';
  workspaceId: string;
  channelId: string;
  userId: string;
  /** The platform's short-lived permission to open a form, from the request that asked for it. */
  trigger: string;
}

/**
 * The one seam between the core and a chat platform: the adapter turns the platform's requests
 * into Invocations for the dispatcher, and renders what the core sends within the platform's
 * limits. What only some platforms have is optional, so the core never asks which platform it is.
 */
export interface ChatAdapter {
  readonly name: string;
  /** Starts receiving; a platform that listens on HTTP reports the port it bound. */
  start(): Promise<void | { port: number }>;
  /** Stops intake, then waits for answers in flight to be delivered. */
  stop(): Promise<void>;
  /** Posts into a channel or thread without a request (a scheduled digest, an alert). */
  post(target: MessageTarget, reply: Reply): Promise<MessageRef>;
  /** Replaces a message this adapter posted. */
  edit(ref: MessageRef, reply: Reply): Promise<void>;
  /** Optional: resolves when the platform ends the session itself (the terminal at end of input). */
  closed?(): Promise<void>;
  /** Optional: opens a private form for a user; platforms without forms answer in messages instead. */
  openForm?(request: FormRequest): Promise<void>;
  /** Optional: shows that an answer is being written, for platforms with a typing indicator. */
  typing?(target: MessageTarget): Promise<void>;
  /** Optional: reads a channel's past messages back to `sinceMs`, a page at a time, for a digest's backfill. */
  history?(target: MessageTarget, sinceMs: number, cursor: string | undefined): Promise<HistoryPage>;
  /** With `history`: the spacing between reads the platform allows (Slack outside the Marketplace: a minute). */
  readonly historyPaceMs?: number;
  /**
   * Optional: reads a thread back as neutral turns (the newest, about `limit`), so a follow-up carries
   * what was said there even while Hive was away; the core's thread context filters and trims them.
   * Platforms without it rely on the core transcripts.
   */
  threadHistory?(thread: ThreadRef, limit: number): Promise<ThreadTurn[]>;
  /**
   * Optional: the answer actions this platform renders (buttons, typed verbs), each pressed back as an
   * invocation of its verb (see `pressedCommand`); absent: answers carry no actions.
   */
  readonly actions?: readonly ActionKind[];
  /** Optional: whether the platform connection is up (for `/readyz`); platforms without one are always ready. */
  ready?(): boolean;
}
