import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.ts';
import { postSigned, slashBody } from '../fakes/slack-requests.ts';
import { BOT_TOKEN, BOT_USER, CHANNEL, KEY, SECRET, TEAM, USER, blockTexts, freePort } from './harness.ts';
import { createHeldAnswer } from './held-answer.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Runs a TypeScript entry point like `npm start`/`npm run hive` do; collects its output. */
function run(args: string[], env: Record<string, string>, stdin?: string): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stdin!.end(stdin ?? '');
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output, exited };
}

async function waitHealthy(url: string, output: string[]): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the bot did not become healthy:\n${output.join('')}`);
}

describe('npm start with Slack settings', () => {
  it('answers a signed /ask from a loopback fake with the model and exact cost, acked before the model answers', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-npm-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const held = createHeldAnswer();
    cleanups.push(() => held.release());
    const vendor: FakeVendor = await startFakeVendor({ vendor: 'openai', validKeys: [KEY], respond: held.respond });
    const slack: FakeSlack = await startFakeSlack({ workspaces: { [BOT_TOKEN]: { teamId: TEAM, botUserId: BOT_USER, botId: 'BBOT' } } });
    cleanups.push(
      () => vendor.close(),
      () => slack.close(),
    );
    const port = await freePort();
    const env = {
      PORT: String(port),
      HIVE_DATA_DIR: dataDir,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      OPENAI_BASE_URL: vendor.url,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: slack.apiUrl,
    };
    const cli = run(['adapters/cli/hive.ts', 'keys', 'set', '--workspace', `slack:${TEAM}`, '--vendor', 'openai'], env, `${KEY}\n`);
    expect(await cli.exited, cli.output.join('')).toBe(0);

    const bot = run(['src/app/main.ts'], env);
    cleanups.push(async () => {
      bot.child.kill('SIGTERM');
      await bot.exited;
    });
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, bot.output);
    const body = slashBody({
      teamId: TEAM,
      channelId: CHANNEL,
      userId: USER,
      command: '/ask',
      text: '--model openai:gpt-6-luna What is six times seven?',
      responseUrl: slack.responseUrl('npm'),
    });
    // The model call is held until after the ack: an ack that waited for the job would never come.
    const ack = await postSigned(`http://127.0.0.1:${port}/slack/events`, body, { secret: SECRET, contentType: 'application/x-www-form-urlencoded' });
    expect(ack.status).toBe(200);
    await held.received;
    expect(slack.of('chat.postMessage')).toHaveLength(0);
    held.release();
    await slack.waitFor(() => slack.of('chat.postMessage').length === 1, 10_000);
    const texts = blockTexts(slack.of('chat.postMessage')[0]!.body);
    expect(texts[1]).toBe('42');
    expect(texts[2]).toContain('gpt-6-luna');
    expect(texts[2]).toContain('$0.0000020');
    expect(vendor.requests.filter((r) => r.path.includes('/chat/completions')).map((r) => r.apiKey)).toEqual([KEY]);

    bot.child.kill('SIGTERM');
    await bot.exited;
    const logs = [...cli.output, ...bot.output].join('');
    const atRest = readdirSync(dataDir)
      .map((f) => readFileSync(path.join(dataDir, f)).toString('latin1'))
      .join('');
    for (const secret of [KEY, BOT_TOKEN, SECRET]) {
      expect(logs).not.toContain(secret);
      expect(atRest).not.toContain(secret);
    }
  });
});

describe('npm start with an unreachable Slack Web API', () => {
  it('exits 1 saying which call failed against which URL, and what to check', { timeout: 60_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-npm-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const apiUrl = `http://127.0.0.1:${await freePort()}/api/`;
    const env = {
      PORT: String(await freePort()),
      HIVE_DATA_DIR: dataDir,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: apiUrl,
    };
    const bot = run(['src/app/main.ts'], env);
    expect(await bot.exited).toBe(1);
    const output = bot.output.join('');
    expect(output).toContain(
      `Hive failed to start: Slack start-up failed: auth.test (checking SLACK_BOT_TOKEN) could not reach ${apiUrl} (SLACK_API_URL) (ECONNREFUSED). Check SLACK_API_URL`,
    );
    for (const secret of [BOT_TOKEN, SECRET]) expect(output).not.toContain(secret);
  });
});
