import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { CANARY, assertNoCanary, assertNoCanaryInDir } from '../helpers/hive-harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
/** Each process loads every SDK: give a loaded 2-core machine room (a process takes 2–5 s there). */
const PROCESS_TEST_MS = 90_000;

/** Runs a project entry point as a real process (node with tsx's loader: one process, not three as `npm run` would), feeding stdin and collecting output. */
function runProcess(script: string, args: string[], env: Record<string, string>, stdin: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

let openai: FakeVendor;
let dataDir: string;
beforeAll(async () => {
  openai = await startFakeVendor({
    vendor: 'openai',
    validKeys: [CANARY.openai, 'sk-canary-CLI-T123-0123456789abcdefgh'],
    respond: (req) => ({ text: req.lastUserText.includes('6 times 7') ? '6 × 7 = **42**' : 'ok', usage: { input: 1000, output: 500 } }),
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-e2e-'));
});
afterAll(async () => {
  await openai.close();
  assertNoCanaryInDir(dataDir);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with the terminal adapter', () => {
  it(
    'GIVEN piped /ask lines THEN it prints each answer with model, exact cost and evidence id, and exits 0',
    async () => {
      const env = { HIVE_DATA_DIR: dataDir, OPENAI_API_KEY: CANARY.openai, OPENAI_BASE_URL: openai.url, LOG_LEVEL: 'info' };
      const r = await runProcess('src/app/main.ts', [], env, '/ask --model openai:gpt-6-luna What is 6 times 7?\n/hive help\n/nonsense\n');
      expect(r.code).toBe(0);
      expect(r.out).toContain('6 × 7 = 42\n');
      // 1,000 input × $0.15/M + 500 output × $0.60/M = $0.00045
      expect(r.out).toMatch(/— gpt-6-luna · cheap \(--model\) · 1,000→500 tok · \$0\.00035 · [\d.]+ (s|ms) · evidence [0-9A-Z]{26}/);
      expect(r.out).toMatch(/\/ask \[--cheap\|--balanced\|--deep\]/);
      expect(r.out).toMatch(/Unknown command \/nonsense/);
      assertNoCanary(r.out + r.err, 'process output');
      const id = /evidence ([0-9A-Z]{26})/.exec(r.out)![1]!;
      const ev = await runProcess('adapters/cli/hive.ts', ['evidence', id], { HIVE_DATA_DIR: dataDir }, '');
      expect(ev.code).toBe(0);
      const json = JSON.parse(ev.out) as { id: string; totalCostUsd: number; calls: { requestId: string; usage: { inputTokens: number } }[] };
      expect(json).toMatchObject({ id, totalCostUsd: 0.00035 });
      expect(json.calls[0]!.requestId).toMatch(/\w+/);
    },
    PROCESS_TEST_MS,
  );

  it(
    'GIVEN a key on stdin THEN the CLI verifies it against the configured endpoint and prints only the masked key',
    async () => {
      const env = { HIVE_DATA_DIR: dataDir, OPENAI_BASE_URL: openai.url };
      const before = openai.requests.filter((q) => q.path.endsWith('/models')).length;
      const ok = await runProcess(
        'adapters/cli/hive.ts',
        ['keys', 'set', '--workspace', 'slack:T123', '--vendor', 'openai', '--force'],
        env,
        'sk-canary-CLI-T123-0123456789abcdefgh\n',
      );
      expect(ok.code).toBe(0);
      expect(ok.out).toMatch(/Stored OpenAI key ••••efgh for slack:T123, verified/);
      expect(openai.requests.filter((q) => q.path.endsWith('/models')).length).toBe(before + 1);
      const bad = await runProcess(
        'adapters/cli/hive.ts',
        ['keys', 'set', '--workspace', 'slack:T123', '--vendor', 'openai'],
        env,
        'sk-canary-BAD-0123456789abcdefghijk\n',
      );
      expect(bad.code).not.toBe(0);
      expect(bad.err).toMatch(/OpenAI rejected this key/);
      const list = await runProcess('adapters/cli/hive.ts', ['keys', 'list', '--workspace', 'slack:T123'], env, '');
      expect(list.out).toMatch(/OpenAI: ••••efgh · added .* · verified .* · ok/);
      for (const r of [ok, bad, list]) expect(r.out + r.err).not.toMatch(/sk-canary-(CLI|BAD)-0123456789/);
    },
    PROCESS_TEST_MS,
  );

  it(
    'GIVEN invalid settings THEN start-up lists every problem and exits non-zero',
    async () => {
      const r = await runProcess('src/app/main.ts', [], { HIVE_DATA_DIR: dataDir, PORT: 'x', OPENAI_BASE_URL: 'nope' }, '');
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/PORT[\s\S]*OPENAI_BASE_URL/);
    },
    PROCESS_TEST_MS,
  );
});
