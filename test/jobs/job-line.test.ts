import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryQueue } from '../fakes/memory-queue.ts';
import { CHANNEL as DISCORD_CHANNEL, GUILD, discordWorker, startDiscord } from '../discord/harness.ts';
import { KEY, TEAM, USER, blockTexts, startHarness, vendorMessages, type Harness } from '../slack/harness.ts';
import { until } from '../helpers/until.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Line = Record<string, unknown>;
const parsed = (logs: string[]): Line[] => logs.map((l) => JSON.parse(l) as Line);
const jobLines = (logs: string[]) => parsed(logs).filter((l) => l.msg === 'job done');
const infoLines = (logs: string[]) => parsed(logs).filter((l) => l.level === 30);

describe("every job's one info line", () => {
  it('GIVEN a Slack session of answered, refused and failed jobs THEN each ends in exactly one info line with where, lane and why, models, tokens, cost, latency, evidence id and outcome, and no text of theirs', async () => {
    h = await startHarness({
      keys: { [TEAM]: KEY },
      respond: (req) =>
        vendorMessages(req).some((m) => m.content.includes('breaks'))
          ? { status: 400, errorMessage: 'unsupported request' }
          : { text: 'forty-two', usage: { input: 10, output: 2 } },
    });
    const session: [string, string][] = [
      ['/ask', 'What is 6 times 7?'],
      ['/ask', ''],
      ['/ask', 'This question breaks the vendor'],
      ['/consensus', '--models openai:gpt-6-luna,openai:gpt-6.2-sol Is 7 prime?'],
      ['/hive', 'usage'],
    ];
    for (const [i, [command, text]] of session.entries()) {
      await h.slash(text, { command });
      // One at a time, so lines and commands pair up in order.
      await until(`${command} ${text} logged`, () => jobLines(h!.logs).length === i + 1);
    }
    const lines = jobLines(h.logs);
    expect(lines).toHaveLength(session.length);
    expect(lines.map((l) => [l.command, l.outcome, l.level])).toEqual([
      ['ask', 'answered', 30],
      ['ask', 'refused', 30],
      ['ask', 'failed', 30],
      ['consensus', 'answered', 30],
      ['hive', 'answered', 30],
    ]);
    const [asked, empty, failed, consensus, usage] = lines as [Line, Line, Line, Line, Line];
    expect(asked).toMatchObject({
      workspaceId: `slack:${TEAM}`,
      platform: 'slack',
      channelId: 'C0001',
      lane: 'cheap',
      laneReason: 'auto: short question',
      models: ['openai:gpt-6-luna'],
      calls: 1,
      inputTokens: 10,
      outputTokens: 2,
    });
    expect(asked.costUsd).toBeGreaterThan(0);
    expect(typeof asked.latencyMs).toBe('number');
    // The footer is the answer's last text block; the buttons under it carry no text.
    const footer = blockTexts(h.slack.of('chat.postMessage')[0]!.body).findLast((t) => t.includes('evidence'))!;
    expect(footer).toContain(`evidence ${String(asked.evidenceId)}`);
    expect(empty).toMatchObject({ code: 'usage' });
    expect(empty).not.toHaveProperty('lane');
    expect(failed).toMatchObject({ code: 'vendor_failed', lane: 'cheap', models: ['openai:gpt-6-luna'], costUsd: 0 });
    expect(failed.evidenceId).toMatch(/^[0-9A-Z]{26}$/);
    expect(consensus.models).toEqual(expect.arrayContaining(['openai:gpt-6-luna', 'openai:gpt-6.2-sol']));
    expect(consensus).toMatchObject({ inputTokens: 20, outputTokens: 4 });
    expect(usage).not.toHaveProperty('evidenceId');
    const all = JSON.stringify(lines);
    for (const text of ['6 times 7', 'breaks the vendor', 'Is 7 prime', 'forty-two', KEY]) expect(all).not.toContain(text);
    // Nothing else at info for these jobs: the line is the job's only one.
    expect(infoLines(h.logs).filter((l) => l.msg !== 'job done' && (l.workspaceId === `slack:${TEAM}` || l.userId === USER))).toEqual([]);
  });

  it('GIVEN a job a worker takes off the queue THEN it ends in the same one line, with its job id and time on the queue', async () => {
    const queue = createMemoryQueue();
    const d = await startDiscord({ queue });
    d.discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: DISCORD_CHANNEL,
      userId: '300000000000000009',
      options: [{ name: 'question', type: 3, value: 'What is the capital of France?' }],
    });
    const [job] = await queue.waitFor(1);
    await discordWorker(d).handle(job!, { stalled: 0 });
    const lines = jobLines(d.logs);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      workspaceId: `discord:${GUILD}`,
      platform: 'discord',
      command: 'ask',
      jobId: job!.id,
      outcome: 'answered',
      lane: 'cheap',
      laneReason: 'auto: short question',
      models: ['openai:gpt-6-luna'],
      inputTokens: 40,
      outputTokens: 9,
    });
    expect(lines[0]!.queuedMs).toEqual(expect.any(Number));
    expect(lines[0]!.evidenceId).toMatch(/^[0-9A-Z]{26}$/);
    expect(infoLines(d.logs).filter((l) => l.jobId === job!.id && l.msg !== 'job done')).toEqual([]);
  });
});
