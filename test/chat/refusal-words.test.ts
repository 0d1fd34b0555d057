import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliArgs } from '../../adapters/cli/cli-args.ts';
import { DISCORD_WORDS } from '../../adapters/chat/discord/conventions.ts';
import { renderDiscordReply } from '../../adapters/chat/discord/render.ts';
import { SLACK_WORDS } from '../../adapters/chat/slack/conventions.ts';
import { renderReply } from '../../adapters/chat/slack/render.ts';
import { TERMINAL_WORDS } from '../../adapters/chat/terminal/conventions.ts';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import type { ChatWords } from '../../src/chat/chat-words.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import type { Hive } from '../../src/app/hive.ts';
import { isRetired } from '../../src/models/model-availability.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { PASTED_KEY } from '../helpers/fake-secret.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

/** One platform as the walk drives it: its words, its workspace ids, its renderer. */
interface Platform {
  name: string;
  words: ChatWords;
  /** A workspace with an OpenAI key (the `local` one has it from the harness's environment). */
  keyed: string;
  user: string;
  channel: string;
  render(reply: Reply): string;
}

const slackText = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(slackText) : v && typeof v === 'object' ? Object.values(v).flatMap(slackText) : [];

const PLATFORMS: Platform[] = [
  {
    name: 'slack',
    words: SLACK_WORDS,
    keyed: 'slack:T0WALK001',
    user: 'U0WALKER01',
    channel: 'C0WALKCH01',
    // As Slack shows it: its three escaped characters back as typed.
    render: (r) =>
      renderReply(r)
        .flatMap((m) => slackText(m.blocks))
        .join('\n')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&'),
  },
  {
    name: 'discord',
    words: DISCORD_WORDS,
    keyed: 'discord:400000000000000077',
    user: '400000000000000088',
    channel: '400000000000000099',
    render: (r) => renderDiscordReply(r).join('\n'),
  },
  { name: 'terminal', words: TERMINAL_WORDS, keyed: 'local', user: 'tty0user', channel: 'tty0chan', render: (r) => renderTerminalReply(r, 1) },
];

const PASTED = PASTED_KEY;
const KEY = 'sk-walk-0123456789abcdefghijKLMNOP';

/** The common refusals and usage messages, each with whether its user is an admin (and, third, whether only typed flags can say it). */
const LINES: [string, boolean, 'typed'?][] = [
  ['/ask', true],
  ['/ask --bogus hi', true],
  ['/ask --model gpt-4o hi', true],
  ['/ask --cheap --deep hi', true, 'typed'], // Discord's one `lane` option takes one lane
  ['/ask --model openai:gpt-6-luna --deep hi', true],
  ['/ask --model anthropic:claude-sonnet-5-5 hi', true],
  ['/ask --model anthropic:claude-3-5-haiku-20241022 hi', true],
  ['/ask --model openai:gpt-9 hi', true],
  ['/ask --deep why does this deadlock?', true],
  [`/ask is this key still good? ${PASTED}`, true],
  ['/consensus --models gpt-4o hi', true],
  ['/nope', true],
  ['/hive frobnicate', true],
  ['/hive keys set openai', true],
  ['/hive keys', false],
  ['/hive budget workspace 5', false],
  ['/hive lanes set deep openai:gpt-6-luna', false],
  ['/hive lanes set deep nope', true],
  ['/digest sometimes', true],
  ['/hive budget workspace 0', true],
  ['/ask hello there', true],
  ['/hive budget workspace off', true],
];

function runLine(hive: Hive, p: Platform, ws: string, line: string, admin: boolean): Promise<Reply> {
  const m = /^\/(\S+)\s*([\s\S]*)$/.exec(line)!;
  return new Promise((resolve) => {
    void hive.dispatcher.handle({
      platform: p.name,
      words: p.words,
      workspaceId: ws,
      channelId: p.channel,
      userId: p.user,
      command: m[1]!,
      text: m[2]!,
      isAdmin: async () => admin,
      respond: async (r) => resolve(r),
    });
  });
}

/** What is wrong with a rendered message for the platform it was rendered for. */
async function problems(hive: Hive, p: Platform, ws: string, line: string, shown: string): Promise<string[]> {
  const found: string[] = [];
  if (/[\uE000-\uF8FF]/.test(shown)) found.push('a term left unrendered');
  const bare = shown.replace(/<[@#]!?\w+(\|[^>]*)?>/g, '');
  for (const id of [p.user, p.channel]) if (new RegExp(`\\b${id}\\b`).test(bare)) found.push(`raw id ${id}`);
  for (const m of builtInPrices.list()) {
    if (
      isRetired(builtInPrices, { vendor: m.vendor, model: m.id }, new Date()) &&
      !line.includes(m.id) &&
      new RegExp(`\\b${m.id.replace(/\./g, '\\.')}\\b`).test(shown)
    )
      found.push(`retired model ${m.id}`);
  }
  for (const [, cli] of shown.matchAll(/`npm run hive -- ([^`]*)`/g)) {
    const start = readCliArgs(cli!.split(' '));
    if (!('run' in start)) found.push(`CLI refuses "${cli}"`);
    else if (start.run.values.workspace !== undefined && start.run.values.workspace !== ws) found.push(`CLI names ${start.run.values.workspace}, not ${ws}`);
  }
  for (const [, slash] of shown.matchAll(/`(\/(?:ask|consensus|digest|hive)\b[^`]*)`/g)) {
    if (p.name === 'terminal' && slash === '/hive keys') found.push('/hive keys has no form at the terminal');
    if (/[<[|…]/.test(slash!)) continue; // a usage synopsis, not a command to run
    const r = await runLine(hive, p, `${ws}-syntax`, slash!, true);
    if (/^Unknown |\nUsage: /.test(r.text)) found.push(`"${slash}" is refused: ${r.text.split('\n')[0]}`);
  }
  if (p.name === 'terminal' && (/\*\*|\]\(|<https?:[^>]*\|/.test(shown) || /(^|\s)_\S/.test(shown))) found.push('Markdown at the terminal');
  if (p.name === 'slack' && (/\*\*/.test(shown) || /\]\(https?:/.test(shown))) found.push('Markdown on Slack');
  if (p.name === 'discord') {
    if (/<https?:[^>]*\|[^>]*>/.test(shown)) found.push('Slack link on Discord');
    if (/workspace admins/.test(shown)) found.push('Slack admins on Discord');
    const prose = shown.split('\n').filter((l) => !/^Usage: /.test(l));
    if (prose.some((l) => /(^|[\s(])--(cheap|balanced|deep|model|models)\b/.test(l))) found.push('a flag where Discord has an option');
  }
  return found;
}

describe('every refusal and usage message, in each platform', () => {
  let keyed: Harness;
  let bare: Harness;
  beforeAll(async () => {
    keyed = await startHarness({ vendors: { openai: () => ({ text: 'ok', usage: { input: 5, output: 1 } }) } });
    bare = await startHarness({ vendors: {} });
    for (const p of PLATFORMS) if (p.keyed !== 'local') await keyed.hive.keys.register(p.keyed, 'openai', KEY, { verify: false });
  });
  afterAll(async () => {
    await keyed.close();
    await bare.close();
  });

  it.each(PLATFORMS.map((p) => [p.name, p] as const))(
    'GIVEN %s THEN no refusal shows raw ids, retired models, commands that fail or raw markup',
    async (_n, p) => {
      const seen: string[] = [];
      for (const [h, ws] of [
        [keyed, p.keyed],
        [bare, p.keyed === 'local' ? 'local' : `${p.keyed}9`],
      ] as const) {
        for (const [line, admin, typed] of LINES) {
          if (typed && p.words.option('deep') !== '--deep') continue;
          const shown = p.render(await runLine(h.hive, p, ws, line, admin));
          for (const problem of await problems(h.hive, p, ws, line, shown)) seen.push(`${line} → ${problem}\n${shown}`);
        }
      }
      expect(seen).toEqual([]);
    },
  );

  it.each(PLATFORMS.map((p) => [p.name, p] as const))(
    'GIVEN %s and an answer by lane flag THEN its footer names the lane as the platform gives it',
    async (_n, p) => {
      const reply = await runLine(keyed.hive, p, p.keyed, '/ask --deep why does this deadlock?', true);
      expect(reply.footer, reply.text).toMatch(/deep \(/);
      const shown = p.render(reply);
      expect(await problems(keyed.hive, p, p.keyed, '', shown)).toEqual([]);
      expect(shown).toContain(p.name === 'discord' ? 'deep (the `lane` option)' : 'deep (--deep)');
    },
  );
});
