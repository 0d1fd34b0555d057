import { afterEach, describe, expect, it } from 'vitest';
import { formatUsd } from '../../src/money/footer.ts';
import type { LedgerRecord } from '../../src/money/ledger.ts';
import type { FakeSlackCall } from '../fakes/slack-api.ts';
import { blockActionsPayload, buttonValues } from '../fakes/slack-actions.ts';
import { personaResponder, type PersonaCase } from '../fakes/model-persona.ts';
import { CHANNEL, KEY, TEAM, USER, blockTexts, modelCalls, startHarness, type Harness } from './harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const CASES: PersonaCase[] = [
  { match: /Collatz/, weak: { text: 'It is probably true for all n.', unsure: true }, strong: { text: 'Unproven: it is an open problem.' } },
];
const KIND = (code: number) => `what does HTTP ${code} mean for our nginx proxy?`;

/** A bot on the fake Slack whose one vendor answers as a weak (cheap-lane) or a strong model; the asker is an admin. */
async function personaBot(cases: PersonaCase[] = []): Promise<Harness> {
  h = await startHarness({ keys: { [TEAM]: KEY }, adminUserIds: USER, respond: personaResponder(cases) });
  return h;
}

/** `/hive <text>` typed in the channel; its private reply's text. */
async function hive(bot: Harness, text: string): Promise<string> {
  const before = bot.slack.of('response_url').length;
  await bot.slash(text, { command: '/hive' });
  await bot.slack.waitFor(() => bot.slack.of('response_url').length === before + 1);
  return String(bot.slack.of('response_url')[before]!.body.text);
}

/** The next message Hive posts after `act`, once every job it started has settled. */
async function nextPost(bot: Harness, act: () => Promise<unknown>): Promise<FakeSlackCall> {
  const before = bot.slack.of('chat.postMessage').length;
  await act();
  await bot.slack.waitFor(() => bot.slack.of('chat.postMessage').length === before + 1);
  await bot.hive.host.dispatcher.drain();
  return bot.slack.of('chat.postMessage')[before]!;
}

/** A posted answer's footer, as Slack shows it. */
const footerOf = (post: FakeSlackCall) => blockTexts(post.body).find((t) => / · evidence /.test(t))!;

/** Presses the answer's Re-run deeper button, as Slack sends the press (signed, through Bolt). */
function pressDeeper(bot: Harness, answer: FakeSlackCall, triggerId: string) {
  const deeper = buttonValues(answer.body.blocks).find((b) => b.actionId === 'hive.action.deeper')!;
  const messageTs = String(answer.result!.ts);
  return bot.interact(blockActionsPayload({ teamId: TEAM, userId: USER, channelId: CHANNEL, messageTs, ...deeper, triggerId }));
}

async function ledgerRows(bot: Harness): Promise<LedgerRecord[]> {
  await bot.hive.evidence.flush();
  const rows: LedgerRecord[] = [];
  for await (const r of bot.hive.ledger.rows(`slack:${TEAM}`, '2000-01-01', '2100-01-01')) rows.push(r);
  return rows;
}

describe('routing policies, set and used on Slack', () => {
  it('GIVEN cheap-first set by an admin WHEN the cheap model is unsure THEN the job escalates once to balanced, and the footer and the books say so', async () => {
    const bot = await personaBot(CASES);
    expect(await hive(bot, 'lanes default cheap-first')).toContain('Workspace default: cheap-first');
    const answer = await nextPost(bot, () => bot.slash('is the Collatz conjecture true?'));
    const [asked, text] = blockTexts(answer.body);
    expect(asked).toBe(`<@${USER}> asked: is the Collatz conjecture true?`);
    expect(text).toBe('Unproven: it is an open problem.');
    const footer = footerOf(answer);
    expect(footer).toContain('gpt-6.2-sol · balanced (cheap first: escalated, gpt-6-luna unsure)');
    expect(footer).toMatch(/ · cheap attempt \$0\.000\d+ · /);
    const calls = modelCalls(bot.vendor);
    expect(calls.map((r) => r.model)).toEqual(['gpt-6-luna', 'gpt-6.2-sol']);
    expect(calls[0]!.promptText).toContain('[[confidence: sure]]');
    expect(calls[1]!.promptText).not.toContain('confidence');
    const id = /evidence ([0-9A-Z]{26})$/.exec(footer)![1]!;
    const rows = await ledgerRows(bot);
    expect(rows.map((r) => [r.model, r.lane, r.route, r.evidenceId])).toEqual([
      ['gpt-6-luna', 'cheap', 'cheap first', id],
      ['gpt-6.2-sol', 'balanced', 'cheap first: escalated', id],
    ]);
    const cheapAttempt = /cheap attempt (\$[\d.]+)/.exec(footer)![1]!;
    expect(cheapAttempt).toBe(formatUsd(rows[0]!.costUsd!));
    // The footer's cost is the whole job's: the cheap attempt and the balanced answer.
    expect(footer).toContain(` · ${formatUsd(rows[0]!.costUsd! + rows[1]!.costUsd!)} · `);
  });

  it('GIVEN learned 30% WHEN re-run deeper is pressed on the cheap answers of one kind THEN /hive routing counts it and the kind moves to balanced', async () => {
    const bot = await personaBot();
    expect(await hive(bot, 'lanes default learned 30%')).toContain('Workspace default: learned (30% strong)');
    const lanes: string[] = [];
    for (const code of [400, 401, 403, 404, 429]) {
      const answer = await nextPost(bot, () => bot.slash(KIND(code)));
      const lane = / · (\w+) \(learned: /.exec(footerOf(answer))![1]!;
      lanes.push(lane);
      if (lane !== 'cheap') continue;
      const rerun = await nextPost(bot, () => pressDeeper(bot, answer, `t.deeper.${code}`));
      expect(rerun.body.thread_ts).toBe(answer.result!.ts);
      expect(footerOf(rerun)).toMatch(/ · deep \(re-run deeper\) · /);
    }
    // The shipped model alone sends this kind to the cheap lane; the presses may move it within the five.
    expect(lanes[0]).toBe('cheap');
    const pressed = lanes.filter((l) => l === 'cheap').length;
    const report = await hive(bot, 'routing');
    expect(report).toContain('routed by: learned (30% strong)');
    expect(report).toMatch(new RegExp(`• learned: cheap → cheap: ${pressed} jobs? .* · ${pressed} re-run deeper`));
    expect(report).toMatch(new RegExp(`• re-run deeper → deep: ${pressed} jobs?`));
    expect(report).toContain(`${pressed} said a job needed a strong lane, 0 that its lane was enough`);
    const share = /the shipped model sends (\d+)% to a strong lane; adjusted by this feedback, (\d+)%/.exec(report)!;
    expect(Number(share[2])).toBeGreaterThan(Number(share[1]));
    const next = await nextPost(bot, () => bot.slash(KIND(502)));
    expect(footerOf(next)).toMatch(/^gpt-6\.2-sol · balanced \(learned: strong \(/);
  });
});
