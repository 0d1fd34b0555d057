import type { ModelRef } from '../shared/types.ts';
import { extractAnswer } from '../models/answer-extract.ts';
import { startMember, type MemberEnv, type RunningMember } from './member-run.ts';
import type { ConsensusTiming, MemberOutcome } from './types.ts';
import { quorumOf } from './vote.ts';

/** Every member's outcome, in panel order, and the wall time until the last one settled. */
export interface FanOutResult {
  outcomes: MemberOutcome[];
  wallMs: number;
}

/**
 * Asks every member at once (all start before any finishes; vendor paces are per vendor key, so they
 * do not block each other). Once a majority agrees on an extractable answer, stragglers get a
 * grace period and are then cancelled and marked timed out, so one slow vendor cannot hold the
 * answer hostage.
 */
export async function fanOut(members: readonly ModelRef[], env: MemberEnv, timing: ConsensusTiming): Promise<FanOutResult> {
  const t0 = performance.now();
  const running = members.map((ref) => startMember(ref, { ...env, timeoutMs: timing.memberTimeoutMs }));
  const watch = watchQuorum(running, timing, t0);
  try {
    const outcomes = await Promise.all(running.map((r) => r.done));
    return { outcomes, wallMs: performance.now() - t0 };
  } finally {
    watch.dispose();
  }
}

/** Counts extractable answers as members finish; at quorum, arms the grace timer for the rest. */
function watchQuorum(running: readonly RunningMember[], timing: ConsensusTiming, t0: number): { dispose(): void } {
  const n = running.length;
  const needed = quorumOf(n);
  const counts = new Map<string, number>();
  const finished = new Set<RunningMember>();
  let timer: NodeJS.Timeout | undefined;
  const onDone = (r: RunningMember, o: MemberOutcome) => {
    finished.add(r);
    const key = o.status === 'ok' && o.text ? extractAnswer(o.text)?.key : undefined;
    if (!key || timer || n < 2) return;
    const agreed = (counts.get(key) ?? 0) + 1;
    counts.set(key, agreed);
    if (agreed < needed || finished.size === n) return;
    const elapsed = performance.now() - t0;
    const grace = Math.max(timing.graceMs, timing.graceRatio * elapsed);
    timer = setTimeout(() => {
      const most = Math.max(...counts.values());
      for (const s of running) if (!finished.has(s)) s.stop({ kind: 'quorum', agreed: most, of: n });
    }, grace);
  };
  for (const r of running) void r.done.then((o) => onDone(r, o));
  return { dispose: () => clearTimeout(timer) };
}
