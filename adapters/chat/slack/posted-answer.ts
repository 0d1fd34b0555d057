import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../src/log.ts';

/** The metadata event type a queued job's messages carry, naming the job. */
export const ANSWER_EVENT = 'hive_answer';

/** Messages read when looking for an earlier post (one read; a resumed job's post is recent). */
const LOOK_BACK = 15;

/**
 * Finds a message a queued job posted whose ts its worker never recorded (killed between the post
 * and the record), by the job id in its metadata: one history read, so the answer edits that
 * message instead of posting a second. A failed read is logged and posting goes ahead.
 */
export async function findPostedAnswer(
  client: webApi.WebClient,
  q: { channel: string; threadTs: string | undefined; jobId: string; sinceMs: number },
  log: Logger,
): Promise<string | undefined> {
  const oldest = (Math.max(0, q.sinceMs - 5_000) / 1000).toFixed(6);
  try {
    const page = q.threadTs
      ? await client.conversations.replies({ channel: q.channel, ts: q.threadTs, oldest, limit: LOOK_BACK, include_all_metadata: true })
      : await client.conversations.history({ channel: q.channel, oldest, limit: LOOK_BACK, include_all_metadata: true });
    const mine = (page.messages ?? []).find((m) => m.metadata?.event_type === ANSWER_EVENT && payloadJob(m.metadata.event_payload) === q.jobId);
    return mine?.ts;
  } catch (err) {
    log.warn({ err, jobId: q.jobId }, 'could not look for an earlier post of a resumed job; posting the answer');
    return undefined;
  }
}

/** The job id in a message's metadata payload, if it names one. */
function payloadJob(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null && 'job' in payload ? (payload as { job: unknown }).job : undefined;
}
