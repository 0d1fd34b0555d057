import type { Invocation } from './invocation.ts';

/** What the caller knows of an invocation beyond the invocation itself, for its log line. */
export interface DispatchNote {
  /** How long the job waited on the queue before this worker took it. */
  queuedMs?: number;
}

/** Routes invocations to commands and turns every failure into a reply; adapters call only this. */
export interface Dispatcher {
  handle(inv: Invocation, note?: DispatchNote): Promise<void>;
  /** Completes when every invocation in flight has replied. */
  drain(): Promise<void>;
}

/** What a platform may know about a verb before running it, so no adapter keeps its own list of names. */
export interface CommandTraits {
  name: string;
  /** Answers privately and at once (admin verbs): no public placeholder while it runs. */
  quick?: boolean;
  /** Its answers are conversations a thread can continue (follow-ups carry them as context). */
  conversational?: boolean;
  /** An answer action's verb: pressed as a button where the platform has them, typed elsewhere (the terminal). */
  action?: boolean;
}

/** Lets a platform ask what a verb is (quick, conversational) by name, instead of keeping lists of names. */
export interface CommandCatalog {
  find(name: string): CommandTraits | undefined;
}
