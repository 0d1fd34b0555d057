import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/hive.ts';
import { APPLICATION_ID, startFakeDiscord, type FakeDiscord } from '../fakes/discord-api.ts';

let discord: FakeDiscord | undefined;
afterEach(async () => {
  await discord?.close();
  discord = undefined;
});

async function cli(args: string[], env: Record<string, string>) {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  err.on('data', (d: Buffer) => (text += d.toString()));
  const code = await runCli(args, env, { stdin: process.stdin, stdout: out, stderr: err });
  return { code, text };
}

describe('npm run discord:register', () => {
  it('GIVEN a guild id THEN the three commands with typed options are put in that server; without one, globally', async () => {
    discord = await startFakeDiscord({ guilds: [] });
    const env = {
      DISCORD_TOKEN: 'MTAw.fake.register-token-0123456789',
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_URL: discord.apiUrl,
      HIVE_STORE_URL: 'memory://',
    };
    const guild = await cli(['discord', 'register', '--guild', '400000000000000001'], env);
    expect(guild).toEqual({ code: 0, text: 'Registered /ask, /consensus, /digest, /hive for server 400000000000000001.\n' });
    const put = discord.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/applications/${APPLICATION_ID}/guilds/400000000000000001/commands`);
    expect(put.headers['authorization']).toBe(`Bot ${env.DISCORD_TOKEN}`);
    const commands = put.body as unknown as { name: string; options: { name: string; type: number; required?: boolean; choices?: unknown[] }[] }[];
    const ask = commands.find((c) => c.name === 'ask')!;
    expect(ask.options.map((o) => [o.name, o.type, o.required ?? false])).toEqual([
      ['question', 3, true],
      ['lane', 3, false],
      ['model', 3, false],
      ['file', 11, false],
    ]);
    expect(commands.find((c) => c.name === 'consensus')!.options.map((o) => [o.name, o.type, o.required ?? false])).toContainEqual(['file', 11, false]);
    expect(ask.options[1]!.choices).toHaveLength(3);
    expect(commands.find((c) => c.name === 'hive')!.options.map((o) => o.name)).toEqual([
      'help',
      'keys',
      'usage',
      'budget',
      'models',
      'lanes',
      'routing',
      'threads',
      'evidence',
    ]);
    expect((await cli(['discord', 'register'], env)).text).toContain('for every server (global)');
    expect(discord.requests.filter((r) => r.method === 'PUT').at(-1)!.path).toBe(`/applications/${APPLICATION_ID}/commands`);
  });

  it('GIVEN no Discord settings or a bad guild id THEN it says what to set, with exit code 2', async () => {
    expect(await cli(['discord', 'register'], { HIVE_STORE_URL: 'memory://' })).toEqual({
      code: 2,
      text: 'Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (from the developer portal) first.\n',
    });
    expect((await cli(['discord', 'register', '--guild', 'general'], { HIVE_STORE_URL: 'memory://' })).text).toContain('--guild takes a server id');
  });
});
