import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { CANARY, assertNoCanary } from '../helpers/hive-harness.ts';
import { SCRIPT, screenText, startPty, type PtySession } from '../helpers/pty.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** util-linux `script` (Debian: bsdutils, essential); BSD's takes other flags. */
const haveScript = spawnSync(SCRIPT, ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') === true;
/** A process loads every SDK; on a loaded 2-core machine that alone can take several seconds. */
const PTY_TEST_MS = 120_000;
const FOOTER = /— gpt-6-luna · cheap \(auto: short question\) · 1,000→500 tok · \$0\.00035 · [\d.]+ (s|ms) · evidence [0-9A-Z]{26}/;

let openai: FakeVendor;
let dataDir: string;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
/** Questions that never get an answer until the suite ends: only a cancel ends them. */
let unstick: () => void = () => {};
const stuck = new Promise<void>((resolve) => (unstick = resolve));
const sessions: PtySession[] = [];

beforeAll(async () => {
  openai = await startFakeVendor({
    vendor: 'openai',
    validKeys: [CANARY.openai],
    respond: async (req) => {
      if (req.lastUserText.includes('held')) await held;
      if (req.lastUserText.includes('stuck')) await stuck;
      return { text: req.lastUserText.includes('6 times 7') ? '6 × 7 = **42**' : `answer to: ${req.lastUserText}`, usage: { input: 1000, output: 500 } };
    },
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-pty-'));
});
afterAll(async () => {
  release();
  unstick();
  for (const s of sessions) s.kill();
  await openai.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** `npm start`'s entry point (tsx src/app/main.ts) at a pseudo-terminal; no master key set, so it generates one and warns. */
function startBot(): PtySession {
  const env = { PATH: process.env.PATH ?? '', HIVE_DATA_DIR: dataDir, OPENAI_API_KEY: CANARY.openai, OPENAI_BASE_URL: openai.url };
  const s = startPty(`${process.execPath} --import tsx src/app/main.ts`, { cwd: root, env });
  sessions.push(s);
  return s;
}

describe.skipIf(!haveScript)('npm start at a real terminal (pseudo-terminal)', () => {
  it(
    'GIVEN typed lines THEN it answers with the footer, answers `/` and `/ x` with usage, keeps going, and Ctrl-D exits 0',
    async () => {
      const bot = startBot();
      await bot.waitFor('hive> ', { timeoutMs: 60_000 });
      let from = bot.output.length;
      bot.type('/ask What is 6 times 7?\r');
      await bot.waitFor(FOOTER, { from });
      expect(screenText(bot.output.slice(from))).toMatch(/\[1\] > What is 6 times 7\?\n6 × 7 = 42\n— gpt-6-luna/);
      for (const [n, line] of [
        [2, '/'],
        [3, '/ x'],
      ] as const) {
        from = bot.output.length;
        bot.type(`${line}\r`);
        await bot.waitFor(new RegExp(`\\[${n}\\]\\n! Type a command right after the slash`), { from });
      }
      from = bot.output.length;
      bot.type('/ask What is 6 times 7?\r');
      await bot.waitFor(FOOTER, { from });
      // Pasted controls: readline turns ESC sequences into keys; C1 and bidi controls are dropped from
      // its echo, and the numbered echo and the model's answer (which repeats them) show them escaped.
      from = bot.output.length;
      bot.type('paste \u009b2J \u202eevil \u001b[31mred\r');
      await bot.waitFor(/\[5\] > paste \\x9b2J \\u202eevil red\nanswer to: paste \\x9b2J \\u202eevil red/, { from });
      expect(bot.output.slice(from)).not.toMatch(/[\u0080-\u009f\u202a-\u202e]/);
      // A paste of several lines, marked by the terminal (bracketed paste, turned on at start), is one question.
      expect(bot.output).toContain('\u001b[?2004h');
      from = bot.output.length;
      bot.type('\u001b[200~first pasted line\rsecond pasted line\r\u001b[201~');
      await bot.waitFor(/\[6\] > first pasted line second pasted line\nanswer to: first pasted line\nsecond pasted line\n/, { from });
      expect(bot.output.slice(from)).not.toContain('[7]');
      bot.type('\x04');
      expect(await bot.exited).toBe(0);
      const screen = screenText(bot.output);
      expect(screen).toMatch(/hive> \n$/); // the shell's prompt starts on a line of its own
      expect(bot.output.slice(bot.output.lastIndexOf('hive> '))).toContain('\u001b[?2004l'); // the terminal's paste is given back
      // Logs at a terminal are pretty, not JSON, and the start did not fail.
      expect(screen).toMatch(/WARN: HIVE_MASTER_KEY is not set/);
      expect(screen).not.toMatch(/"level":|failed to start/);
      assertNoCanary(bot.output, 'the terminal');
    },
    PTY_TEST_MS,
  );

  it(
    'GIVEN an answer arrives while a line is half typed THEN it prints above the prompt and the typed text survives',
    async () => {
      const bot = startBot();
      await bot.waitFor('hive> ', { timeoutMs: 60_000 });
      bot.type('/ask held question\r');
      await expect.poll(() => openai.requests.some((r) => r.lastUserText.includes('held')), { timeout: 60_000 }).toBe(true);
      bot.type('second one');
      await bot.waitFor('hive> second one');
      const from = bot.output.length;
      release();
      await bot.waitFor(/— gpt-6-luna[^\n]*\n[\s\S]*hive> [^\n]*second one/, { from });
      // The half-typed line was erased (cursor to column 1, clear down) before the answer, then redrawn after it.
      const esc = String.fromCharCode(27);
      expect(bot.output.slice(from)).toMatch(new RegExp(`${esc}\\[1G${esc}\\[0J\\[1\\] > held question`));
      const after = from + bot.output.slice(from).indexOf('— gpt-6-luna');
      bot.type('\r');
      await bot.waitFor(/\[2\] > second one\nanswer to: second one/, { from: after });
      bot.type('\x04');
      expect(await bot.exited).toBe(0);
    },
    PTY_TEST_MS,
  );

  it(
    'GIVEN answers running THEN Ctrl-C says it is finishing them, a second Ctrl-C cancels them with what they spent, and it exits 0',
    async () => {
      const bot = startBot();
      await bot.waitFor('hive> ', { timeoutMs: 60_000 });
      const asked = () => openai.requests.filter((r) => r.lastUserText.includes('stuck')).length;
      bot.type('/ask stuck one\r');
      await expect.poll(asked, { timeout: 60_000 }).toBe(1);
      bot.type('/ask stuck two\r');
      await expect.poll(asked, { timeout: 60_000 }).toBe(2);
      let from = bot.output.length;
      bot.type('\x03');
      await bot.waitFor(/Finishing 2 answers… Ctrl-C again to stop now\./, { from });
      from = bot.output.length;
      bot.type('\x03');
      await bot.waitFor(/Stopping now: cancelling 2 answers\./, { from });
      await bot.waitFor(/Cancelled by @\S+ before the answer was finished\.\n— spent \$[\d.]+ · cheap lane · evidence [0-9A-Z]{26}[\s\S]*Cancelled by/, {
        from,
      });
      expect(await bot.exited).toBe(0);
    },
    PTY_TEST_MS,
  );
});
