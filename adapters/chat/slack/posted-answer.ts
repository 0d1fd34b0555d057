import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../src/log.ts';

/** The metadata event type a queued job's messages carry, naming the job. */
export const ANSWER_EVENT = 'hive_answer';

/** Messages a read returns (the least any app's tier allows). */
const LOOK_BACK = 15;
/** Reads per slice of time at most. */
const READS_PER_SLICE = 2;
/**
 * Where to look, relative to when the post began: two-second slices up to the web client's
 * deadline, earliest first. History comes newest first, so one wide window in a busy channel
 * would hand back only the later messages and push the post past the reads.
 */
const SLICES: readonly [number, number][] = Array.from({ length: 11 }, (_, i) => [i * 2_000 - 1_000, i * 2_000 + 1_000] as [number, number]);

/**
 * Finds a message a queued job posted whose ts its worker never recorded (killed between the post
 * and the record), by the job id in its metadata, so the answer edits that message instead of
 * posting a second. A failed read is logged and posting goes ahead.
 */
export async function findPostedAnswer(
  client: webApi.WebClient,
  q: { channel: string; threadTs: string | undefined; jobId: string; sinceMs: number },
  log: Logger,
): Promise<string | undefined> {
  const at = (ms: number) => (Math.max(0, q.sinceMs + ms) / 1000).toFixed(6);
  try {
    for (const [from, to] of SLICES) {
      const ts = await findIn(client, q, { oldest: at(from), latest: at(to) });
      if (ts) return ts;
    }
    log.warn({ jobId: q.jobId }, 'an earlier post of a resumed job was not found within the reads allowed; posting the answer');
    return undefined;
  } catch (err) {
    log.warn({ err, jobId: q.jobId }, 'could not look for an earlier post of a resumed job; posting the answer');
    return undefined;
  }
}

/** The job's tagged message within one slice of time, in up to `READS_PER_SLICE` pages. */
async function findIn(client: webApi.WebClient, q: { channel: string; threadTs: string | undefined; jobId: string }, w: { oldest: string; latest: string }) {
  let cursor: string | undefined;
  for (let read = 0; read < READS_PER_SLICE; read++) {
    const page = await readPage(client, q, { ...w, ...(cursor ? { cursor } : {}) });
    const mine = (page.messages ?? []).find((m) => m.metadata?.event_type === ANSWER_EVENT && payloadJob(m.metadata.event_payload) === q.jobId);
    if (mine?.ts) return mine.ts;
    cursor = page.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
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
