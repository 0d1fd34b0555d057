import type { FakeBehaviour, FakeRequest } from '../fakes/fake-vendor.ts';

/**
 * A model answer the fake vendor holds until the test lets it go, so "acked before the job's work
 * is done" is proven by order: the ack is seen while the model call is still open. If the ack
 * waited for the job, it could never arrive before `release()` and the test would fail.
 */
export interface HeldAnswer {
  /** The fake vendor's `respond`: model calls wait for `release()`; other requests answer at once. */
  respond(req: FakeRequest): Promise<FakeBehaviour>;
  /** Resolves when the first model call has reached the vendor (and is being held). */
  received: Promise<void>;
  /** Lets every held (and later) model call answer. */
  release(): void;
  /** Whether `release()` has been called. */
  released(): boolean;
}

/** Holds model calls (chat completions) and answers them with `answer` once released. */
export function createHeldAnswer(answer: FakeBehaviour = { text: '42', usage: { input: 10, output: 2 } }): HeldAnswer {
  let open!: () => void;
  let arrived!: () => void;
  let isOpen = false;
  const gate = new Promise<void>((r) => (open = r));
  const received = new Promise<void>((r) => (arrived = r));
  return {
    async respond(req) {
      if (!req.path.includes('/chat/completions')) return {};
      arrived();
      await gate;
      return answer;
    },
    received,
    release() {
      isOpen = true;
      open();
    },
    released: () => isOpen,
  };
}
