import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL as D_CHANNEL, GUILD, isEdit, startDiscord, type DiscordHarness } from '../discord/harness.ts';
import { KEY, TEAM, startHarness, type Harness } from '../slack/harness.ts';

/**
 * How many core files one request runs, after a warm-up request, by V8's precise coverage: a
 * request that visits fewer rooms is easier to follow. Measured this way, a warm Slack `/ask
 * --model` ran 75 core files and a Discord thread follow-up 69 before the core was layered; 68 and
 * 66 after; 74 and 72 once every answer became a job actions can name (its row in the answer book,
 * its cancel watch, its offers); 81 and 79 once routing policies (cheap first's cascade and
 * self-check, the routing rule a call is booked under) and the ledger's lanes joined. The bounds
 * leave a little room for growth.
 */
const SLACK_ASK_BOUND = 83;
const DISCORD_FOLLOW_UP_BOUND = 81;

const src = pathToFileURL(path.resolve(import.meta.dirname, '../../src')).href + '/';

/** Core files (src/) with at least one function run while `work` ran. */
async function coreFilesRun(work: () => Promise<void>): Promise<string[]> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  await work();
  const { result } = await session.post('Profiler.takePreciseCoverage');
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
  const ran = result.filter((s) => s.url.startsWith(src) && s.functions.some((f) => f.ranges.some((r) => r.count > 0)));
  return ran.map((s) => s.url.slice(src.length)).sort();
}

function report(what: string, files: string[]): void {
  const folders = new Set(files.map((f) => f.split('/')[0]));
  console.log(`${what}: ${files.length} core files in ${folders.size} folders\n  ${files.join('\n  ')}`);
}

let slack: Harness | undefined;
let discord: DiscordHarness | undefined;
afterEach(async () => {
  await slack?.close();
  await discord?.close();
  slack = discord = undefined;
});

describe('core files one request runs', () => {
  it('GIVEN a warm Slack install THEN /ask --model runs at most the bound of core files', async () => {
    slack = await startHarness({ keys: { [TEAM]: KEY } });
    const posts = () => slack!.slack.of('chat.postMessage').length;
    await slack.slash('--model openai:gpt-6-luna warm up');
    await slack.slack.waitFor(() => posts() === 1);
    const files = await coreFilesRun(async () => {
      await slack!.slash('--model openai:gpt-6-luna What is six times seven?');
      await slack!.slack.waitFor(() => posts() === 2);
    });
    report('Slack /ask --model', files);
    expect(files.length).toBeLessThanOrEqual(SLACK_ASK_BOUND);
  });

  it('GIVEN a warm Discord thread THEN a follow-up runs at most the bound of core files', async () => {
    discord = await startDiscord();
    const d = discord.discord;
    const { token } = d.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: D_CHANNEL,
      options: [{ name: 'question', type: 3, value: 'Capital of France?' }],
    });
    await d.waitFor(isEdit(token));
    await d.waitFor((r) => r.method === 'POST' && /\/threads$/.test(r.path));
    const thread = String(d.messagesIn(D_CHANNEL)[0]!['id']);
    const replies = () => d.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages`).length;
    d.userMessage({ channelId: thread, content: 'And Lyon?' });
    await d.waitFor(() => replies() === 1);
    const files = await coreFilesRun(async () => {
      d.userMessage({ channelId: thread, content: 'And Marseille?' });
      await d.waitFor(() => replies() === 2);
    });
    report('Discord thread follow-up', files);
    expect(files.length).toBeLessThanOrEqual(DISCORD_FOLLOW_UP_BOUND);
  });
});
