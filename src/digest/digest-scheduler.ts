import { randomUUID } from 'node:crypto';
import type { MessageTarget } from '../chat/chat-adapter.ts';
import type { Reply } from '../chat/invocation.ts';
import { UserError } from '../shared/errors.ts';
import { newEvidenceId } from '../shared/ids.ts';
import type { Logger } from '../shared/log.ts';
import type { DigestChannel, DigestChannels } from './digest-channels.ts';
import type { DigestRunner } from './digest-runner.ts';
import type { DigestRuns } from './digest-runs.ts';
import { lastOccurrence, localDay, localTime, startOffsetMs } from './schedule.ts';

/** Posts a digest on the channel's platform; `false` when that platform is not running here. */
export type DigestPost = (platform: string, target: MessageTarget, reply: Reply) => Promise<boolean>;

export interface DigestSchedulerOptions {
  channels: DigestChannels;
  runs: DigestRuns;
  runner: DigestRunner;
  post: DigestPost;
  /** Platforms this process can post on; other channels are left to the processes that can. */
  canPost: (platform: string) => boolean;
  log: Logger;
  now?: () => number;
  /** How often due digests are looked for (default 30 s). */
  tickMs?: number;
  /** Starts of channels due in the same minute are spread over this (default 2 minutes). */
  spreadMs?: number;
  /**
   * A claim is another process's to take over this long after its holder last renewed it (default
   * 3 minutes; renewed every minute while the digest is made, however long its calls wait).
   */
  leaseMs?: number;
  /** Digests made at once by this process (default 4). */
  concurrency?: number;
}

/** Fires each channel's digest once per local day, catching up the last missed one after downtime. */
export interface DigestScheduler {
  start(): void;
  /** One look for due digests; resolves when the ones it started are done (tests call it with a fake clock). */
  tick(): Promise<void>;
  /** Stops looking; digests under way finish. */
  stop(): Promise<void>;
}

/** A digest posted more than this after its time says it is late. */
const LATE_MS = 10 * 60_000;

export function createDigestScheduler(o: DigestSchedulerOptions): DigestScheduler {
  const now = o.now ?? Date.now;
  const owner = randomUUID();
  const done = new Set<string>();
  const running = new Set<Promise<void>>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let ticking: Promise<void> | undefined;

  const due = (c: DigestChannel): { at: Date; day: string } | undefined => {
    if (!o.canPost(c.platform)) return undefined;
    const at = lastOccurrence(c, new Date(now()));
    if (at.getTime() < c.enabledAt) return undefined;
    if (now() < at.getTime() + startOffsetMs(c.workspaceId, c.channelId, o.spreadMs ?? 120_000)) return undefined;
    const day = localDay(at, c.timezone);
    return done.has(`${c.workspaceId}|${c.channelId}|${day}`) ? undefined : { at, day };
  };

  async function runOne(c: DigestChannel, at: Date, day: string): Promise<void> {
    const mark = `${c.workspaceId}|${c.channelId}|${day}`;
    const leaseMs = o.leaseMs ?? 3 * 60_000;
    if (!(await o.runs.claim(c.workspaceId, c.channelId, day, owner, leaseMs))) {
      // Held by another process: looked at again each tick, to take it over if that process died.
      if ((await o.runs.statusOf(c.workspaceId, c.channelId, day)) !== 'running') done.add(mark);
      return;
    }
    done.add(mark);
    const heartbeat = setInterval(() => void o.runs.renew(c.workspaceId, c.channelId, day, owner, leaseMs).catch(() => undefined), leaseMs / 3);
    heartbeat.unref();
    const end = await makeAndPost(o, c, { at, day }, now(), owner)
      .catch((err: unknown) => {
        o.log.error({ err, workspace: c.workspaceId, channel: c.channelId }, 'a scheduled digest failed');
        return { status: 'failed' as const, note: 'internal error' };
      })
      .finally(() => clearInterval(heartbeat));
    // Undefined: another process took the claim over while this one ran; the day is its to finish.
    if (end) await o.runs.finish(c.workspaceId, c.channelId, day, owner, end);
  }

  async function tick(): Promise<void> {
    const list = await o.channels.list();
    const work: Promise<void>[] = [];
    for (const c of list) {
      const d = due(c);
      if (!d) continue;
      while (running.size >= (o.concurrency ?? 4)) await Promise.race(running);
      const p = runOne(c, d.at, d.day).finally(() => running.delete(p));
      running.add(p);
      work.push(p);
    }
    await Promise.allSettled(work);
  }

  const safeTick = () => {
    if (ticking) return ticking;
    ticking = tick()
      .catch((err: unknown) => o.log.warn({ err }, 'could not look for due digests; trying again shortly'))
      .finally(() => (ticking = undefined));
    return ticking;
  };

  return {
    start() {
      timer ??= setInterval(() => void safeTick(), o.tickMs ?? 30_000);
      timer.unref();
      void safeTick();
    },
    tick: safeTick,
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await ticking;
      await Promise.allSettled([...running]);
    },
  };
}

/** Makes the day's digest and posts it; a quiet day posts one line (or nothing, per the channel). */
async function makeAndPost(o: DigestSchedulerOptions, c: DigestChannel, when: { at: Date; day: string }, t: number, owner: string) {
  const { at, day } = when;
  const from = lastOccurrence(c, new Date(at.getTime() - 1)).getTime();
  const late = t - at.getTime() > LATE_MS ? ` (posted late: Hive was not running at ${c.time})` : '';
  const title = `**Daily digest** · ${localTime(at, c.timezone).replace(/ \S+$/, '')}${late}`;
  const target = { workspaceId: c.workspaceId, channelId: c.channelId };
  let reply: Reply;
  let end: { status: 'posted' | 'skipped' | 'failed'; evidenceId?: string; costNano?: number; note?: string };
  try {
    const run = await o.runner.run({ channel: c, from, to: at.getTime(), userId: 'digest', title });
    if (run.kind === 'empty') {
      if (c.options.quietDays === 'skip') return { status: 'skipped' as const, note: 'quiet day' };
      reply = { text: `${title}\nA quiet day: nothing was said here since ${localTime(new Date(from), c.timezone)}.`, visibility: 'channel' };
      end = { status: 'posted', note: 'quiet day' };
    } else {
      reply = run.reply;
      end = { status: 'posted', evidenceId: run.evidenceId, ...(run.costUsd !== undefined ? { costNano: Math.round(run.costUsd * 1e9) } : {}) };
    }
  } catch (e) {
    const id = newEvidenceId(t);
    if (!(e instanceof UserError)) o.log.error({ err: e, errorId: id }, 'a scheduled digest failed');
    const why = e instanceof UserError ? e.message : `Something went wrong (error ${id}).`;
    reply = { text: `Today's digest could not be made. ${why}`, visibility: 'channel', tone: 'error' };
    end = { status: 'failed', note: e instanceof UserError ? e.code : `error ${id}` };
  }
  // From here a takeover would risk a second post: a claim marked posting is never taken over.
  if (!(await o.runs.posting(c.workspaceId, c.channelId, day, owner))) return undefined;
  if (!(await o.post(c.platform, target, reply))) return { status: 'failed' as const, note: `${c.platform} is not running in this process` };
  return end;
}
