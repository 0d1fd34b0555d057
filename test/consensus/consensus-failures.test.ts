import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/shared/clock.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { exactCost, isJudge, PANEL, startPanel, type Panel } from './harness.ts';

let panel: Panel | undefined;
afterEach(async () => {
  await panel?.close();
  panel = undefined;
});

const usage = { input: 100, output: 5 };
const says =
  (text: string, latencyMs = 10) =>
  () => ({ text, usage, latencyMs });

describe('/consensus when members fail or hang', () => {
  it('GIVEN one vendor down (503 for everything) THEN the answer comes from the other two and names the failed member and why', async () => {
    // A long grace: the down vendor must fail on its own (three quick attempts), not be cut off by the quorum.
    panel = await startPanel(
      { anthropic: says('42'), openai: says('42'), google: () => ({ status: 503 }) },
      { tuning: { memberTimeoutMs: 3000, graceMs: 2000, graceRatio: 0, synthesisTimeoutMs: 3000 } },
    );
    const { reply, out } = await panel.consensus('What is 6 times 7?');
    expect(reply.tone).not.toBe('error');
    expect(reply.text).toContain('42');
    expect(reply.text).toContain(`2/2 agree (${PANEL.google} failed)`);
    expect(out).toMatch(new RegExp(`${PANEL.google} \\(Google Gemini\\): failed: overloaded \\(HTTP 503\\), 3 attempts`));
    expect(panel.fakes.google!.requests.length).toBe(3); // the router's own retries, never another vendor
  });

  it('GIVEN a member failing with 503 that is still waiting to retry when the quorum agrees THEN it is labelled failed (overloaded), not timed out', async () => {
    // Backoff waits (the only sleeps given a signal) last until cancelled, so the 503 member is between attempts when the quorum ends it.
    const retryWaitsForever: Clock = {
      now: () => Date.now(),
      sleep: (ms, signal) => (signal ? systemClock.sleep(600_000, signal) : systemClock.sleep(Math.min(ms, 2))),
    };
    panel = await startPanel({ anthropic: says('42'), openai: says('42'), google: () => ({ status: 503 }) }, { clock: retryWaitsForever });
    const { reply, out } = await panel.consensus('What is 6 times 7?');
    expect(panel.fakes.google!.requests.length).toBe(1);
    expect(reply.text).toContain(`2/2 agree (${PANEL.google} failed)`);
    expect(out).toContain(`${PANEL.google} (Google Gemini): failed: overloaded, 1 attempt; stopped retrying: 2/3 had already agreed`);
    expect(out).not.toMatch(/timed out/);
  });

  it('GIVEN a member that hangs and a quorum that agrees THEN it proceeds after the grace period, cancels the straggler and marks it timed out', async () => {
    panel = await startPanel({ anthropic: says('42'), openai: says('42'), google: () => ({ hang: true }) });
    const { reply, out } = await panel.consensus('What is 6 times 7?');
    expect(reply.text).toContain(`2/2 agree (${PANEL.google} timed out)`);
    expect(out).toContain(`${PANEL.google} (Google Gemini): timed out: cancelled: 2/3 had already agreed`); // the quorum, not the 3 s member timeout, ended it
    await new Promise((r) => setTimeout(r, 20));
    expect(panel.fakes.google!.inFlight()).toBe(0); // the vendor request was really aborted
  });

  it('GIVEN a slow member that answers within the grace period THEN it is counted, not cancelled', async () => {
    panel = await startPanel(
      { anthropic: says('42'), openai: says('42'), google: says('41', 25) },
      { tuning: { memberTimeoutMs: 3000, graceMs: 400, graceRatio: 0, synthesisTimeoutMs: 3000 } },
    );
    const { reply } = await panel.consensus('What is 6 times 7?');
    expect(reply.text).toContain(`2/3 agree — ${PANEL.google} differs on the answer (41)`);
  });

  it('GIVEN a member that hangs and no quorum THEN it is cut off at its own timeout', async () => {
    const tuning = { memberTimeoutMs: 150, graceMs: 40, graceRatio: 0, synthesisTimeoutMs: 3000 };
    panel = await startPanel({ anthropic: says('42'), openai: says('41'), google: () => ({ hang: true }) }, { tuning });
    const { reply, out } = await panel.consensus('What is 6 times 7?');
    expect(out).toContain(`${PANEL.google} (Google Gemini): timed out: no answer within 150 ms`);
    expect(reply.text).toContain('no majority — split on the answer');
  });

  it('GIVEN a member that answers with nothing THEN the empty answer counts as a failure', async () => {
    panel = await startPanel({ anthropic: says('42'), openai: says('42'), google: says('') });
    const { out } = await panel.consensus('What is 6 times 7?');
    expect(out).toContain(`${PANEL.google} (Google Gemini): failed: empty answer`);
  });

  it('GIVEN only one member answers THEN that answer is shown and the footer says it is not a consensus', async () => {
    panel = await startPanel({
      anthropic: says('Forty-two, since 6 × 7 = 42 and that is well known.'),
      openai: () => ({ status: 401 }),
      google: () => ({ status: 503 }),
    });
    const { reply, out } = await panel.consensus('What is 6 times 7?');
    expect(reply.text).toContain('Forty-two');
    expect(reply.text).toContain('only 1 of 3 answered — not a consensus');
    expect(reply.footer).toContain('only 1 of 3 answered');
    expect(out).toContain(`${PANEL.openai} (OpenAI): failed: key rejected (HTTP 401); an admin can fix the key with \`/hive keys\``);
    expect(panel.fakes.anthropic!.requests.some(isJudge)).toBe(false);
  });

  it('GIVEN every member fails THEN the user reads each failure and the evidence id, and evidence records the failure', async () => {
    panel = await startPanel({ anthropic: () => ({ status: 529 }), openai: () => ({ status: 500 }), google: () => ({ status: 503 }) });
    const { reply } = await panel.consensus('What is 6 times 7?');
    expect(reply.tone).toBe('error');
    expect(reply.text).toContain(`${PANEL.anthropic} failed (overloaded (HTTP 529)`);
    expect(reply.text).toContain(`${PANEL.openai} failed (server error (HTTP 500)`);
    const id = /Evidence (\w{26})/.exec(reply.text)![1]!;
    const record = await panel.hive.evidence.get(id, 'local');
    expect(record!.status).toBe('error');
    expect(record!.calls.length).toBe(9);
  });

  it('GIVEN a member cut off mid-stream after reporting usage THEN its cost is still counted in the total', async () => {
    panel = await startPanel({
      anthropic: says('42'),
      openai: says('42'),
      google: () => ({ text: 'forty two is the answer here', usage, cutAfterChunks: 1, latencyMs: 5 }),
    });
    const { reply } = await panel.consensus('What is 6 times 7?');
    const id = /evidence (\w{26})/.exec(reply.footer!)![1]!;
    const record = await panel.hive.evidence.get(id, 'local');
    const members = exactCost('anthropic', PANEL.anthropic, 100, 5) + exactCost('openai', PANEL.openai, 100, 5);
    expect(record!.totalCostUsd!).toBeGreaterThanOrEqual(members - 1e-12);
    const google = record!.calls.filter((c) => c.vendor === 'google');
    expect(google.length).toBeGreaterThan(0);
    expect(google.every((c) => c.outcome === 'error')).toBe(true);
    expect(google.some((c) => (c.costUsd ?? 0) > 0)).toBe(true); // the usage reported before the cut is billed
    expect(record!.totalCostUsd).toBeCloseTo(members + google.reduce((s, c) => s + (c.costUsd ?? 0), 0), 10);
    expect(reply.footer).toContain(formatUsd(record!.totalCostUsd!)); // footer and evidence agree
  });
});
