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

/** Creates the scheduler; `owner` names this process's claims so another process can take over a dead one's. */
export function createDigestScheduler(o: DigestSchedulerOptions): DigestScheduler {
  const s: SchedulerState = { o, now: o.now ?? Date.now, owner: randomUUID(), done: new Set(), running: new Set() };
  return {
    start() {
      s.timer ??= setInterval(() => void safeTick(s), o.tickMs ?? 30_000);
      s.timer.unref();
      void safeTick(s);
    },
    tick: () => safeTick(s),
    async stop() {
      if (s.timer) clearInterval(s.timer);
      s.timer = undefined;
      await s.ticking;
      await Promise.allSettled([...s.running]);
    },
  };
}

/** What the scheduler's steps share: options, clock, claim owner, days settled here, digests under way, timer. */
interface SchedulerState {
  o: DigestSchedulerOptions;
  now: () => number;
  owner: string;
  /** `workspace|channel|day` marks of days this process has nothing more to do for. */
  done: Set<string>;
  running: Set<Promise<void>>;
  timer?: ReturnType<typeof setInterval>;
  ticking?: Promise<void>;
}

/** One tick at a time: a tick asked for while one runs shares it; a failed look is logged and retried next tick. */
function safeTick(s: SchedulerState): Promise<void> {
  if (s.ticking) return s.ticking;
  s.ticking = tick(s)
    .catch((err: unknown) => s.o.log.warn({ err }, 'could not look for due digests; trying again shortly'))
    .finally(() => (s.ticking = undefined));
  return s.ticking;
}

async function tick(s: SchedulerState): Promise<void> {
  const list = await s.o.channels.list();
  const work: Promise<void>[] = [];
  for (const c of list) {
    const d = due(s, c);
    if (!d) continue;
    while (s.running.size >= (s.o.concurrency ?? 4)) await Promise.race(s.running);
    const p = runOne(s, c, d.at, d.day).finally(() => s.running.delete(p));
    s.running.add(p);
    work.push(p);
  }
  await Promise.allSettled(work);
}

/** The channel's latest occurrence, when it is past its spread start, postable here and not yet settled. */
function due(s: SchedulerState, c: DigestChannel): { at: Date; day: string } | undefined {
  if (!s.o.canPost(c.platform)) return undefined;
  const at = lastOccurrence(c, new Date(s.now()));
  if (at.getTime() < c.enabledAt) return undefined;
  if (s.now() < at.getTime() + startOffsetMs(c.workspaceId, c.channelId, s.o.spreadMs ?? 120_000)) return undefined;
  const day = localDay(at, c.timezone);
  return s.done.has(`${c.workspaceId}|${c.channelId}|${day}`) ? undefined : { at, day };
}

async function runOne(s: SchedulerState, c: DigestChannel, at: Date, day: string): Promise<void> {
  const { o, owner } = s;
  const mark = `${c.workspaceId}|${c.channelId}|${day}`;
  const leaseMs = o.leaseMs ?? 3 * 60_000;
  if (!(await o.runs.claim(c.workspaceId, c.channelId, day, owner, leaseMs))) {
    // Held by another process: looked at again each tick, to take it over if that process died.
    if ((await o.runs.statusOf(c.workspaceId, c.channelId, day)) !== 'running') s.done.add(mark);
    return;
  }
  s.done.add(mark);
  const heartbeat = setInterval(() => void o.runs.renew(c.workspaceId, c.channelId, day, owner, leaseMs).catch(() => undefined), leaseMs / 3);
  heartbeat.unref();
  const end = await makeAndPost(o, c, { at, day }, s.now(), owner)
    .catch((err: unknown) => {
      o.log.error({ err, workspace: c.workspaceId, channel: c.channelId }, 'a scheduled digest failed');
      return { status: 'failed' as const, note: 'internal error' };
    })
    .finally(() => clearInterval(heartbeat));
  // Undefined: another process took the claim over while this one ran; the day is its to finish.
  if (end) await o.runs.finish(c.workspaceId, c.channelId, day, owner, end);
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
