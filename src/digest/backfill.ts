import type Keyv from 'keyv';
import type { HistoryPage, MessageTarget } from '../chat/chat-adapter.ts';
import type { DigestCapture } from '../chat/capture-event.ts';
import type { Logger } from '../shared/log.ts';
import type { DigestChannel, DigestChannels } from './digest-channels.ts';

/** A platform's history reads, and the spacing between them it allows. */
export interface HistorySource {
  read(target: MessageTarget, sinceMs: number, cursor: string | undefined): Promise<HistoryPage>;
  paceMs: number;
}

/** Where a channel's backfill stands: kept in the store after every page, so a restart resumes it. */
export interface BackfillState {
  sinceMs: number;
  cursor?: string;
  pages: number;
  messages: number;
  done: boolean;
  startedAt: number;
  /** Why it stopped early (after repeated failures). */
  error?: string;
}

export interface Backfills {
  /** Starts reading the channel's last day from its platform; `unavailable` when this process cannot. */
  start(c: DigestChannel): Promise<'started' | 'running' | 'unavailable'>;
  state(workspaceId: string, channelId: string): Promise<BackfillState | undefined>;
  /** Gives the platforms' history readers and resumes every unfinished backfill. */
  attach(source: (platform: string) => HistorySource | undefined): void;
  stop(): Promise<void>;
}

export interface BackfillOptions {
  kv: Keyv<BackfillState>;
  channels: DigestChannels;
  capture: DigestCapture;
  log: Logger;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

const DAY_MS = 24 * 3_600_000;
/** Failed reads in a row before a backfill gives up (each waits twice the pace). */
const MAX_FAILURES = 5;

/**
 * Backfills a channel's last day when its digest is first turned on: history pages read at the
 * platform's pace (Slack allows apps outside its Marketplace one read a minute), each message
 * handed to the capture like a live one, progress saved after every page.
 */
export function createBackfills(o: BackfillOptions): Backfills {
  let source: ((platform: string) => HistorySource | undefined) | undefined;
  const running = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  const key = (ws: string, ch: string) => `backfill|${ws}|${ch}`;

  const launch = (c: DigestChannel, s: HistorySource) => {
    const k = key(c.workspaceId, c.channelId);
    if (running.has(k)) return;
    const run = loop(o, c, s, k, stopping.signal)
      .catch((err: unknown) => o.log.warn({ err, workspace: c.workspaceId, channel: c.channelId }, 'digest backfill stopped'))
      .finally(() => running.delete(k));
    running.set(k, run);
  };

  return {
    async start(c) {
      const s = source?.(c.platform);
      if (!s) return 'unavailable';
      const k = key(c.workspaceId, c.channelId);
      if (running.has(k)) return 'running';
      const t = o.now();
      await o.kv.set(k, { sinceMs: t - DAY_MS, pages: 0, messages: 0, done: false, startedAt: t });
      launch(c, s);
      return 'started';
    },
    state: (ws, ch) => o.kv.get(key(ws, ch)),
    attach(next) {
      source = next;
      void resume(o, next, launch);
    },
    async stop() {
      stopping.abort(new Error('stopping'));
      await Promise.allSettled([...running.values()]);
    },
  };
}

async function resume(
  o: BackfillOptions,
  source: (platform: string) => HistorySource | undefined,
  launch: (c: DigestChannel, s: HistorySource) => void,
): Promise<void> {
  for (const c of await o.channels.list().catch(() => [])) {
    const s = source(c.platform);
    const st = s ? await o.kv.get(`backfill|${c.workspaceId}|${c.channelId}`) : undefined;
    if (s && st && !st.done && !st.error) launch(c, s);
  }
}

/** Reads page after page until the day is read, the digest is turned off, or Hive stops. */
async function loop(o: BackfillOptions, c: DigestChannel, s: HistorySource, k: string, signal: AbortSignal): Promise<void> {
  let failures = 0;
  const target = { workspaceId: c.workspaceId, channelId: c.channelId };
  for (;;) {
    const st = await o.kv.get(k);
    if (!st || st.done || st.error || !(await o.channels.isOn(c.workspaceId, c.channelId))) return;
    let page: HistoryPage;
    try {
      page = await s.read(target, st.sinceMs, st.cursor);
      failures = 0;
    } catch (err) {
      failures++;
      o.log.warn({ err, workspace: c.workspaceId, channel: c.channelId, failures }, 'a digest backfill read failed; trying again');
      if (failures >= MAX_FAILURES) return void (await o.kv.set(k, { ...st, error: 'the platform refused the history reads' }));
      await o.sleep(s.paceMs * 2, signal);
      continue;
    }
    for (const message of page.messages) if (message.at > st.sinceMs) await o.capture.observe({ kind: 'message', message });
    const next: BackfillState = { ...st, pages: st.pages + 1, messages: st.messages + page.messages.length, done: page.next === undefined };
    if (page.next !== undefined) next.cursor = page.next;
    await o.kv.set(k, next);
    if (next.done) return;
    await o.sleep(s.paceMs, signal);
  }
}
