import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeCost } from '../../src/money/cost.ts';
import { formatUsd } from '../../src/money/footer.ts';
import { ZERO_USAGE } from '../../src/shared/provider-spec.ts';
import { APPLICATION_ID, startFakeDiscord } from '../fakes/discord-api.ts';
import { startFakeVendor } from '../fakes/fake-vendor.ts';
import { CHANNEL, GUILD, KEY, TOKEN, isCallback, isEdit, textOf } from './harness.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Runs a TypeScript entry point as `npm start` and `npm run hive` do; collects its output. */
function run(args: string[], env: Record<string, string>, stdin = '') {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => output.push(d.toString('utf8')));
  child.stdin.end(stdin);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output, exited };
}

describe('npm start with Discord settings', () => {
  it("logs in at a loopback fake, answers /ask with the footer and exact cost on the guild's own key, and stops on SIGTERM", { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'hive-discord-start-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const vendor = await startFakeVendor({ vendor: 'openai', validKeys: [KEY], respond: () => ({ text: 'Paris.', usage: { input: 40, output: 2 } }) });
    const discord = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'general' }] }] });
    cleanups.push(
      () => vendor.close(),
      () => discord.close(),
    );
    const env = {
      HIVE_DATA_DIR: dataDir,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      DISCORD_TOKEN: TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      OPENAI_BASE_URL: vendor.url,
      HIVE_HEALTH_PORT: '0',
    };
    const set = run(['adapters/cli/hive.ts', 'keys', 'set', '--workspace', `discord:${GUILD}`, '--vendor', 'openai'], env, `${KEY}\n`);
    expect(await set.exited).toBe(0);
    const hive = run(['src/app/main.ts'], env);
    cleanups.push(() => void hive.child.kill('SIGKILL'));
    await discord.waitFor((r) => r.path === '/gateway/bot', 60_000);
    for (let i = 0; i < 600 && !hive.output.join('').includes('connected to Discord'); i++) await new Promise((r) => setTimeout(r, 50));
    // The health endpoints: alive, and ready once the store, the log database and Discord answer.
    const healthLine = hive.output
      .join('')
      .split('\n')
      .find((l) => l.includes('health endpoints on /healthz and /readyz'))!;
    const healthPort = (JSON.parse(healthLine) as { port: number }).port;
    expect((await fetch(`http://127.0.0.1:${healthPort}/healthz`)).status).toBe(200);
    const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, checks: { store: 'ok', logs: 'ok', discord: 'ok' } });
    const { id, token } = discord.interaction({
      name: 'ask',
      guildId: GUILD,
      channelId: CHANNEL,
      options: [
        { name: 'question', type: 3, value: 'capital of France?' },
        { name: 'model', type: 3, value: 'openai:gpt-6-luna' },
      ],
    });
    expect((await discord.waitFor(isCallback(id, token), 30_000)).body).toMatchObject({ type: 5 });
    const edit = await discord.waitFor(isEdit(token), 30_000);
    const usage = { ...ZERO_USAGE, inputTokens: 40, outputTokens: 2 };
    expect(textOf(edit.body)).toMatch(
      new RegExp(
        `^> capital of France\\?\\nParis\\.\\n-# gpt-6-luna · .* · ${formatUsd(computeCost(builtInPrices, 'openai', 'gpt-6-luna', usage, { at: new Date() })!.usd).replace('$', '\\$')} · `,
      ),
    );
    expect(vendor.requests.filter((r) => r.model).map((r) => r.apiKey)).toEqual([KEY]);
    hive.child.kill('SIGTERM');
    expect(await hive.exited).toBe(0);
    const out = hive.output.join('');
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(KEY);
  });
});
