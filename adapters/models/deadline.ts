/** Why a call was cut short by us rather than by the vendor. */
export type StopReason = 'timeout' | 'aborted';

/** One call's cancellation: the caller's signal plus our own deadline, merged into one signal. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Set once the deadline passed or the caller aborted; the first cause wins. */
  stopReason(): StopReason | undefined;
  /** Stops the clock and cancels whatever is still open; call once the call has settled. */
  dispose(): void;
}

/**
 * Starts the deadline for a whole call, stream included; SDK timeouts only cover the
 * wait for headers, so the stream needs a clock of its own.
 */
/** The reason a settled call's signal is aborted with: built once, as nobody observes it after the call. */
const SETTLED = new DOMException('the call has settled', 'AbortError');

export function startDeadline(opts: { signal?: AbortSignal | undefined; timeoutMs: number }): Deadline {
  const controller = new AbortController();
  let reason: StopReason | undefined;
  const stop = (why: StopReason): void => {
    reason ??= why;
    controller.abort();
  };
  const onCallerAbort = (): void => stop('aborted');
  const timer = setTimeout(() => stop('timeout'), Math.max(0, opts.timeoutMs));
  if (opts.signal?.aborted) stop('aborted');
  else opts.signal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    stopReason: () => reason,
    dispose: () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onCallerAbort);
      controller.abort(SETTLED); // releases any connection an early exit left open; stopReason stays as it was
    },
  };
}
