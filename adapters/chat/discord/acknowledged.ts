import { DiscordAPIError, Routes, type REST } from 'discord.js';

/**
 * How long after an interaction arrived a worker may find its first response not yet made: intake
 * defers a queued command as it queues it, and Discord allows that 3 s.
 */
const ACK_WAIT_MS = 5_000;
/** Spacing of the checks meanwhile. */
const ACK_POLL_MS = 100;

/**
 * Resolves once the interaction has its first response (intake's deferral), so a worker never
 * writes through the token before it: a follow-up or an edit then would fail. Checked once per job
 * with the original response, which Discord knows only once there is one; a job past the wait (a
 * resumed one) writes at once, as does one whose check fails otherwise.
 */
export function awaitAcknowledged(
  rest: REST,
  i: { applicationId: string; token: string; deferredAt: number },
  now: () => number,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): () => Promise<void> {
  let checked: Promise<void> | undefined;
  const check = async () => {
    // Bounded by count too: a clock that stands still (or runs behind intake's) cannot hold a job.
    for (let n = 0; n < ACK_WAIT_MS / ACK_POLL_MS && now() - i.deferredAt < ACK_WAIT_MS; n++) {
      try {
        await rest.get(Routes.webhookMessage(i.applicationId, i.token, '@original'), { auth: false });
        return;
      } catch (e) {
        if (!(e instanceof DiscordAPIError) || e.status !== 404) return;
      }
      await sleep(ACK_POLL_MS);
    }
  };
  return () => (checked ??= check());
}
