import type { webApi } from '@slack/bolt';
import type { Logger } from '../../../src/shared/log.ts';

/** The metadata event type a queued job's messages carry, naming the job. */
export const ANSWER_EVENT = 'hive_answer';

/** Messages a read returns (the least any app's tier allows). */
const LOOK_BACK = 15;
/** Reads one search may make. */
const MAX_READS = 16;
/** A window is split no finer than this: a post's time is known to about a millisecond. */
const MIN_SPAN_MS = 20;
/**
 * Where to look, relative to when the post began, earliest first: around the start (clock skew),
 * then later up to the web client's deadline.
 */
const WINDOWS: readonly [number, number][] = [
  [-1_000, 2_000],
  [2_000, 8_000],
  [8_000, 21_000],
];

/**
 * Finds a message a queued job posted whose ts its worker never recorded (killed between the post
 * and the record), by the job id in its metadata, so the answer edits that message instead of
 * posting a second. History comes newest first, one page at a time, so a window holding more
 * messages than a page (a busy channel) is split in halves, earlier half first, until each half
 * fits: the post is found however busy the channel was. A failed read is logged and posting goes ahead.
 */
export async function findPostedAnswer(
  client: webApi.WebClient,
  q: { channel: string; threadTs: string | undefined; jobId: string; sinceMs: number },
  log: Logger,
): Promise<string | undefined> {
  const pending: [number, number][] = WINDOWS.map(([from, to]) => [q.sinceMs + from, q.sinceMs + to]);
  try {
    for (let reads = 0; reads < MAX_READS && pending.length > 0; reads++) {
      const [from, to] = pending.shift()!;
      const page = await readPage(client, q, { oldest: at(from), latest: at(to) });
      const mine = (page.messages ?? []).find((m) => m.metadata?.event_type === ANSWER_EVENT && payloadJob(m.metadata.event_payload) === q.jobId);
      if (mine?.ts) return mine.ts;
      const mid = Math.floor((from + to) / 2);
      if (page.has_more && to - from > MIN_SPAN_MS) pending.unshift([from, mid], [mid, to]);
    }
    log.warn({ jobId: q.jobId }, 'an earlier post of a resumed job was not found within the reads allowed; posting the answer');
    return undefined;
  } catch (err) {
    log.warn({ err, jobId: q.jobId }, 'could not look for an earlier post of a resumed job; posting the answer');
    return undefined;
  }
}

/** A Slack ts bound for epoch milliseconds. */
const at = (ms: number) => (Math.max(0, ms) / 1000).toFixed(6);

/** The job id in a message's metadata payload, if it names one. */
function payloadJob(payload: unknown): unknown {
  return typeof payload === 'object' && payload !== null && 'job' in payload ? (payload as { job: unknown }).job : undefined;
}

/** One page of the thread (a thread job) or the channel (a slash command), with message metadata. */
function readPage(client: webApi.WebClient, q: { channel: string; threadTs: string | undefined }, w: { oldest: string; latest: string }) {
  const common = { channel: q.channel, ...w, inclusive: true, limit: LOOK_BACK, include_all_metadata: true };
  return q.threadTs ? client.conversations.replies({ ...common, ts: q.threadTs }) : client.conversations.history(common);
}
