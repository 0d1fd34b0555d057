import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/chat/invocation.ts';
import type { WorkspaceSettings } from '../../src/settings/settings.ts';
import { LANES, parseModelRef } from '../../src/shared/types.ts';
import { VENDORS } from '../../src/shared/provider-spec.ts';
import { MAX_USD } from '../../commands/admin.ts';
import { LIMIT_FIELDS } from '../../commands/lane-limits.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { createScaledClock } from '../helpers/scaled-clock.ts';
import { line, type Line } from './command-lines.ts';

/** Generated lines: 6,000 single lines, 4,000 in sequences and 1,200 at once; `HIVE_PROPERTY_SCALE=10` for a longer hunt. */
const SCALE = Number(process.env.HIVE_PROPERTY_SCALE ?? 1);
const RUNS = { oneLine: 6_000 * SCALE, sequences: 400 * SCALE, perSequence: 10, batches: 200 * SCALE, perBatch: 6 };

/** What a reply must never show: stack frames, source paths, JavaScript error names, leaked values. */
const INTERNALS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at \S+ \(|at file:\/\/|at node:/],
  ['a source path', /\.(ts|js|mjs|cjs):\d|\bnode_modules\b|\b(src|commands|adapters)\/[\w-]+\.ts\b|(^|[\s("'])\/(work|tmp|home|usr|app|opt)\//],
  ['an error name', /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/],
  ['undefined', /\bundefined\b/],
  ['NaN', /\bNaN\b/],
  ['Infinity', /\bInfinity\b/],
  ['an object dump', /\[object Object\]/],
];

/** The longest admin reply (the model menu, the lanes overview); an echo of a 100 KB paste is far longer. */
const MAX_ADMIN_REPLY = 8_000;

/** What the generated lines exercised, so the suite cannot pass by refusing everything. */
const seen = { madeChanges: 0, refusedChanges: 0, modelAnswers: 0 };

let h: Harness;
beforeAll(async () => {
  const fast = () => ({ text: 'ok', usage: { input: 10, output: 2 }, latencyMs: 0 });
  // A fast clock: a minute of vendor pacing (after `rpm=1`) passes in 60 ms.
  h = await startHarness({ vendors: { anthropic: fast, openai: fast, google: fast }, clock: createScaledClock(1000) });
});
afterAll(async () => {
  await h.hive.dispatcher.drain();
  await h.close();
});

async function invoke(l: Line): Promise<Reply[]> {
  const replies: Reply[] = [];
  await h.hive.dispatcher.handle({
    platform: 'test',
    workspaceId: 'local',
    channelId: l.channelId,
    userId: 'U-prop',
    command: l.command,
    text: l.text,
    isAdmin: async () => l.admin,
    respond: async (r) => void replies.push(r),
  });
  return replies;
}

const snapshot = async () => JSON.stringify(await h.hive.ctx.settings.get('local'));

/** Runs one line and checks every property that holds for any single line. */
async function check(l: Line): Promise<void> {
  const before = await snapshot();
  const replies = await invoke(l);
  expect(replies, 'exactly one reply').toHaveLength(1);
  const r = replies[0]!;
  if (r.footer) seen.modelAnswers++;
  const shown = [r.text, r.footer ?? '', ...(r.sections ?? []).flatMap((s) => [s.title, s.text])].join('\n');
  expect(r.text.trim(), 'a reply says something').not.toBe('');
  if (l.command === 'hive') expect(r.text.length, `an admin reply never repeats a huge input: ${r.text.slice(0, 80)}`).toBeLessThan(MAX_ADMIN_REPLY);
  expect(r.errorId, `no internal failure for /${l.command} ${l.text.slice(0, 80)}: ${r.text}`).toBeUndefined();
  for (const [what, re] of INTERNALS) {
    if (re.test(shown) && !re.test(`/${l.command} ${l.text}`)) expect.fail(`reply shows ${what}: ${shown.slice(0, 300)}`);
  }
  const after = await snapshot();
  if (isChange(l)) {
    seen[r.tone === 'error' ? 'refusedChanges' : 'madeChanges']++;
    if (r.tone === 'error') {
      expect(r.text, 'a refusal names the usage (or who may change it)').toMatch(/Usage: \/hive (budget|lanes)|^Only workspace admins can/);
      expect(after, 'a refused change changes nothing').toBe(before);
    } else {
      expect(l.admin, 'only admins change settings').toBe(true);
      expect(r.text.split('\n')[0], 'a change is confirmed in its first line').toMatch(/^\S.*[.)]$/);
      expect(r.text).not.toMatch(/Usage:/);
    }
  } else if (!(l.command === 'hive' && /^\s*keys/i.test(l.text))) {
    expect(after, 'only budget and lanes actions change settings').toBe(before);
  }
  checkSettings(JSON.parse(after) as WorkspaceSettings);
}

/** `/hive budget <action> …` and `/hive lanes <action> …`: the admin commands that change settings. */
function isChange(l: Line): boolean {
  const [verb = '', sub = ''] = l.text.trim().split(/\s+/);
  return l.command === 'hive' && ['budget', 'lanes'].includes(verb.toLowerCase()) && sub !== '';
}

/** Whatever was typed, stored settings stay within what the parsers promise. */
function checkSettings(s: WorkspaceSettings): void {
  const usd = (v: number | undefined) => v === undefined || (Number.isFinite(v) && v >= 0 && v <= MAX_USD);
  const b = s.budgets ?? {};
  const amounts = [b.workspaceUsd, b.perChannelUsd, b.perUserUsd, s.confirmAboveUsd, ...Object.values(b.channels ?? {}), ...Object.values(b.users ?? {})];
  expect(amounts.every(usd), `amounts in range: ${JSON.stringify(amounts)}`).toBe(true);
  for (const [v, limits] of Object.entries(s.vendorLimits ?? {})) {
    expect(VENDORS).toContain(v);
    for (const [f, n] of Object.entries(limits ?? {})) {
      const field = LIMIT_FIELDS[f as keyof typeof LIMIT_FIELDS];
      expect(field, `${f} is a user-facing limit`).toBeDefined();
      expect(Number.isInteger(n) && n >= 1 && n <= field.max, `${f}=${n} in range`).toBe(true);
    }
  }
  const refs = [...Object.values(s.lanes ?? {}).flatMap((l) => l ?? []), ...(s.consensusJudge ? [s.consensusJudge] : [])];
  expect(
    refs.every((t) => t.length <= 140 && parseModelRef(t) !== undefined),
    `model refs: ${refs.join(', ').slice(0, 200)}`,
  ).toBe(true);
  expect([s.defaultLane, ...Object.values(s.channelLanes ?? {})].every((l) => l === undefined || (LANES as readonly string[]).includes(l))).toBe(true);
}

/** Back to default settings and vendor lanes, so a counterexample replays (and shrinks) from a known state. */
async function fresh(): Promise<void> {
  await h.hive.dispatcher.drain();
  await h.hive.ctx.settings.update('local', () => ({}));
  for (const v of VENDORS) h.hive.ctx.pacer.reconfigure('local', v);
}

describe('every command line, however hostile, gets one clear reply', () => {
  it(`GIVEN ${RUNS.oneLine} generated lines THEN each replies exactly once, shows no internals, and changes state only with a confirmation`, async () => {
    await fc.assert(
      fc.asyncProperty(line, async (l) => (await fresh(), check(l))),
      { numRuns: RUNS.oneLine },
    );
    expect(seen.madeChanges).toBeGreaterThan(RUNS.oneLine / 20);
    expect(seen.refusedChanges).toBeGreaterThan(RUNS.oneLine / 20);
    expect(seen.modelAnswers).toBeGreaterThan(RUNS.oneLine / 200);
  }, 120_000);

  it(`GIVEN ${RUNS.sequences} sequences of ${RUNS.perSequence} lines in a row THEN the same holds as state builds up`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: RUNS.perSequence, maxLength: RUNS.perSequence }), async (lines) => {
        await fresh();
        for (const l of lines) await check(l);
      }),
      { numRuns: RUNS.sequences },
    );
  }, 120_000);

  it(`GIVEN ${RUNS.batches} batches of ${RUNS.perBatch} lines at once THEN every one still replies exactly once`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: RUNS.perBatch, maxLength: RUNS.perBatch }), async (lines) => {
        await fresh();
        const all = await Promise.all(lines.map(invoke));
        expect(all.map((r) => r.length)).toEqual(lines.map(() => 1));
        for (const [r] of all) expect(r!.errorId, r!.text).toBeUndefined();
        checkSettings(JSON.parse(await snapshot()) as WorkspaceSettings);
      }),
      { numRuns: RUNS.batches },
    );
  }, 120_000);
});
