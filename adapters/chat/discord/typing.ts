/** Discord shows "typing…" for 10 s after each call: renewed a little sooner while a job runs. */
const TYPING_RENEW_MS = 9_000;
/** However a job ends, "typing…" stops by then. */
const TYPING_MAX_MS = 15 * 60_000;

/** Shows "typing…" in a channel until stopped (or for 15 minutes at most), whatever a tick's request does. */
export function keepTyping(tick: () => Promise<unknown>): { stop(): void } {
  const once = () => void tick().catch(() => undefined);
  once();
  const timer = setInterval(once, TYPING_RENEW_MS);
  const cap = setTimeout(() => clearInterval(timer), TYPING_MAX_MS);
  timer.unref?.();
  cap.unref?.();
  return {
    stop: () => {
      clearInterval(timer);
      clearTimeout(cap);
    },
  };
}
