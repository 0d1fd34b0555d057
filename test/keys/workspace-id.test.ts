import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { checkWorkspaceId, isWorkspaceId, suggestWorkspaceId, WORKSPACE_ID_FORMS } from '../../src/shared/workspace-id.ts';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** A CLI process loads every SDK: give a loaded 2-core machine room. */
const PROCESS_TEST_MS = 90_000;
const KEY = 'sk-canary-WSID-0123456789abcdefghijkl';

describe('workspace ids', () => {
  it('GIVEN ids of every platform THEN only slack:<team id>, discord:<server id> and local are workspace ids', () => {
    for (const ok of ['local', 'slack:T123', 'slack:E0123ABCD', 'discord:12345678901234567', 'discord:12345678901234567890'])
      expect(isWorkspaceId(ok)).toBe(true);
    const bad = ['', 'Local', '../../etc', 'x'.repeat(100_000), 'slak:T123', 'slack:t123', 'slack:', 'slack:U123', 'slack:T123 ', 'slack:T1/2'];
    for (const no of [...bad, 'discord:1234567890123456', 'discord:123456789012345678901', 'discord:12345678901234567a', 'T123', 'telegram:1']) {
      expect(isWorkspaceId(no)).toBe(false);
    }
  });

  it('GIVEN a near miss THEN the likely id is suggested; GIVEN anything else THEN none is', () => {
    expect(suggestWorkspaceId('slak:T123')).toBe('slack:T123');
    expect(suggestWorkspaceId('slack:t123')).toBe('slack:T123');
    expect(suggestWorkspaceId('Slack:T123')).toBe('slack:T123');
    expect(suggestWorkspaceId(' slack:T123 ')).toBe('slack:T123');
    expect(suggestWorkspaceId('T0123ABCD')).toBe('slack:T0123ABCD');
    expect(suggestWorkspaceId('dicsord:123456789012345678')).toBe('discord:123456789012345678');
    expect(suggestWorkspaceId('123456789012345678')).toBe('discord:123456789012345678');
    expect(suggestWorkspaceId('LOCAL')).toBe('local');
    for (const far of ['', '../../etc', 'x'.repeat(100_000), 'team', 'sl:T123', 'slack:U123', 'discord:12', 'telegram:T123'])
      expect(suggestWorkspaceId(far)).toBeUndefined();
  });

  it('GIVEN a refusal THEN it names what was typed (clipped, escaped), the likely id and what a valid one looks like', () => {
    expect(checkWorkspaceId('slack:T123')).toEqual({ ok: true, id: 'slack:T123' });
    expect(checkWorkspaceId('slak:T123')).toEqual({
      ok: false,
      suggestion: 'slack:T123',
      message: `"slak:T123" is not a workspace id. Did you mean slack:T123? ${WORKSPACE_ID_FORMS}`,
    });
    const long = checkWorkspaceId(`\u001b[31m${'x'.repeat(100_000)}`);
    expect(long.ok).toBe(false);
    if (long.ok) return;
    expect(long.message.length).toBeLessThan(400);
    expect(long.message).toMatch(/^"\\u001b\[31mx+…" \(100,005 characters\) is not a workspace id\. A workspace id is slack:<team id>/);
    expect(checkWorkspaceId('')).toMatchObject({ ok: false, message: `An empty workspace id is not a workspace. ${WORKSPACE_ID_FORMS}` });
  });
});

let openai: FakeVendor;
let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  openai = await startFakeVendor({ vendor: 'openai', validKeys: [KEY] });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-wsid-'));
  env = { HIVE_DATA_DIR: dataDir, OPENAI_BASE_URL: openai.url, HIVE_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent' };
});
afterAll(async () => {
  await openai.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The operator CLI in this process, with the key (if any) on its standard input. */
async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const input = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  (input as unknown as PassThrough).end(stdin);
  const [out, err] = [new PassThrough(), new PassThrough()];
  let o = '';
  let e = '';
  out.on('data', (d: Buffer) => (o += d.toString()));
  err.on('data', (d: Buffer) => (e += d.toString()));
  const code = await runCli(args, env, { stdin: input, stdout: out, stderr: err });
  return { code, out: o, err: e };
}

describe('the operator CLI refuses workspace ids no workspace can have', () => {
  it('GIVEN every verb that takes --workspace and ids that cannot exist THEN each is refused with usage status 2, and nothing is stored or verified', async () => {
    const verbs = [
      ['keys', 'set', '--vendor', 'openai'],
      ['keys', 'list'],
      ['keys', 'test', '--vendor', 'openai'],
      ['keys', 'remove', '--vendor', 'openai'],
      ['usage'],
      ['evidence', 'export', '--since', '2026-11-01'],
    ];
    for (const verb of verbs) {
      for (const ws of ['', '../../etc', 'x'.repeat(100_000), 'slak:T123', 'slack:t123']) {
        const r = await cli([...verb, '--workspace', ws], `${KEY}\n`);
        expect(r.code, `${verb.join(' ')} --workspace ${ws.slice(0, 20)}`).toBe(2);
        expect(r.err).toContain(`--workspace: `);
        expect(r.err).toContain(WORKSPACE_ID_FORMS);
        expect(r.err.length).toBeLessThan(500);
      }
    }
    expect(openai.requests.filter((q) => q.path.endsWith('/models'))).toHaveLength(0);
    // Refused before anything opened: not even the store was created.
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('GIVEN a near miss THEN the refusal names the id that was likely meant, and that id works', async () => {
    const typo = await cli(['keys', 'set', '--workspace', 'slak:T123', '--vendor', 'openai'], `${KEY}\n`);
    expect(typo.err).toMatch(/^--workspace: "slak:T123" is not a workspace id\. Did you mean slack:T123\? A workspace id is slack:<team id>/);
    const lower = await cli(['keys', 'list', '--workspace', 'slack:t123']);
    expect(lower.err).toMatch(/Did you mean slack:T123\?/);
    const meant = await cli(['keys', 'set', '--workspace', 'slack:T123', '--vendor', 'openai', '--force'], `${KEY}\n`);
    expect(meant.code).toBe(0);
    expect(meant.out).toMatch(/Stored OpenAI key ••••ijkl for slack:T123, verified/);
    expect((await cli(['keys', 'list', '--workspace', 'discord:123456789012345678'])).out).toBe('No keys for discord:123456789012345678.\n');
  });

  it(
    'GIVEN the CLI as a process THEN `keys set --workspace slak:T123` exits 2 with the suggestion, and the key is never sent to the vendor',
    async () => {
      const checks = () => openai.requests.filter((q) => q.path.endsWith('/models')).length;
      const before = checks();
      const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/cli/hive.ts', 'keys', 'set', '--workspace', 'slak:T123', '--vendor', 'openai'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdin.end(`${KEY}\n`);
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(2);
      expect(err).toMatch(/--workspace: "slak:T123" is not a workspace id\. Did you mean slack:T123\?/);
      expect(checks()).toBe(before);
    },
    PROCESS_TEST_MS,
  );
});

describe('the operator CLI stores keys only for workspaces Hive has met', () => {
  it('GIVEN a well-formed id Hive never met THEN keys set is refused before any call, names the fix, and --force stores it', async () => {
    const checks = () => openai.requests.filter((q) => q.path.endsWith('/models')).length;
    const before = checks();
    const unknown = await cli(['keys', 'set', '--workspace', 'slack:T0NEVERMET', '--vendor', 'openai'], `${KEY}\n`);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^Hive has not met slack:T0NEVERMET: no installation, settings, keys or usage for it\..*add --force\.$/m);
    expect(checks()).toBe(before);
    expect((await cli(['keys', 'list', '--workspace', 'slack:T0NEVERMET'])).out).toBe('No keys for slack:T0NEVERMET.\n');
    const forced = await cli(['keys', 'set', '--workspace', 'slack:T0NEVERMET', '--vendor', 'openai', '--force'], `${KEY}\n`);
    expect(forced.code).toBe(0);
    // Met now (it has a key): replacing the key needs no --force.
    const again = await cli(['keys', 'set', '--workspace', 'slack:T0NEVERMET', '--vendor', 'openai'], `${KEY}\n`);
    expect(again.code).toBe(0);
    // The terminal's workspace is always met.
    expect((await cli(['keys', 'set', '--vendor', 'openai'], `${KEY}\n`)).code).toBe(0);
  });

  it('GIVEN a workspace with settings (it ran a command) or booked calls THEN keys set needs no --force', async () => {
    const { workspaceKnown } = await import('../../adapters/cli/known-workspace.ts');
    const sets = new Set(['discord:123456789012345678']);
    const booked = new Set(['slack:T0BOOKED']);
    const hive = {
      keys: { list: async () => [] },
      store: { ns: (name: string) => ({ has: async (k: string) => name === 'settings' && sets.has(k) }) },
      logs: {
        selectFrom: () => ({
          select: () => ({
            where: (_c: string, _op: string, ws: string) => ({ limit: () => ({ executeTakeFirst: async () => (booked.has(ws) ? { id: 1 } : undefined) }) }),
          }),
        }),
      },
    } as unknown as Parameters<typeof workspaceKnown>[0];
    expect(await workspaceKnown(hive, 'discord:123456789012345678')).toBe(true);
    expect(await workspaceKnown(hive, 'slack:T0BOOKED')).toBe(true);
    expect(await workspaceKnown(hive, 'slack:T0OTHER')).toBe(false);
    expect(await workspaceKnown(hive, 'local')).toBe(true);
  });
});

describe('the platform vouches for a workspace the bot is in', () => {
  it('GIVEN the Slack token and the Discord bot configured THEN their own team and servers are met, and others are not', async () => {
    const { platformVouches } = await import('../../adapters/cli/known-workspace.ts');
    const { startFakeSlack } = await import('../fakes/slack-api.ts');
    const { startFakeDiscord } = await import('../fakes/discord-api.ts');
    const slack = await startFakeSlack({ workspaces: { 'xoxb-vouch': { teamId: 'T0VOUCH', botUserId: 'UBOT', botId: 'BBOT' } } });
    const discord = await startFakeDiscord({ guilds: [{ id: '123456789012345678', channels: [] }] });
    try {
      const env = { SLACK_BOT_TOKEN: 'xoxb-vouch', SLACK_API_URL: slack.apiUrl, DISCORD_TOKEN: 'bot-token', DISCORD_API_URL: discord.apiUrl };
      expect(await platformVouches('slack:T0VOUCH', env)).toBe(true);
      expect(await platformVouches('slack:T0OTHER', env)).toBe(false);
      expect(await platformVouches('slack:T0VOUCH', { ...env, SLACK_BOT_TOKEN: 'xoxb-wrong' })).toBe(false);
      expect(await platformVouches('discord:123456789012345678', env)).toBe(true);
      expect(await platformVouches('discord:876543210987654321', env)).toBe(false);
      // No platform configured, or one that cannot be reached: nothing vouches (the operator may say --force).
      expect(await platformVouches('slack:T0VOUCH', {})).toBe(false);
      expect(await platformVouches('discord:123456789012345678', { DISCORD_TOKEN: 'x', DISCORD_API_URL: 'http://127.0.0.1:9' })).toBe(false);
    } finally {
      await slack.close();
      await discord.close();
    }
  });
});
