import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../src/log.ts';

/** The metadata event type a queued job's messages carry, naming the job. */
export const ANSWER_EVENT = 'hive_answer';

/** Messages a read returns (the least any app's tier allows), and reads at most: the post is within seconds of `sinceMs`. */
const LOOK_BACK = 15;
const MAX_READS = 4;

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
  // From a second before the post began to the web client's whole deadline after it.
  const oldest = (Math.max(0, q.sinceMs - 1_000) / 1000).toFixed(6);
  const latest = ((q.sinceMs + 20_000) / 1000).toFixed(6);
  try {
    let cursor: string | undefined;
    for (let read = 0; read < MAX_READS; read++) {
      const page = await readPage(client, q, { oldest, latest, ...(cursor ? { cursor } : {}) });
      const mine = (page.messages ?? []).find((m) => m.metadata?.event_type === ANSWER_EVENT && payloadJob(m.metadata.event_payload) === q.jobId);
      if (mine?.ts) return mine.ts;
      cursor = page.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    log.warn({ jobId: q.jobId }, 'an earlier post of a resumed job was not found within the reads allowed; posting the answer');
    return undefined;
  } catch (err) {
    log.warn({ err, jobId: q.jobId }, 'could not look for an earlier post of a resumed job; posting the answer');
    return undefined;
  }
}

/** The job id in a message's metadata payload, if it names one. */
function payloadJob(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null && 'job' in payload ? (payload as { job: unknown }).job : undefined;
}

/** One page of the thread (a thread job) or the channel (a slash command), with message metadata. */
function readPage(client: webApi.WebClient, q: { channel: string; threadTs: string | undefined }, w: { oldest: string; latest: string; cursor?: string }) {
  const common = { channel: q.channel, ...w, inclusive: true, limit: LOOK_BACK, include_all_metadata: true };
  return q.threadTs ? client.conversations.replies({ ...common, ts: q.threadTs }) : client.conversations.history(common);
}
