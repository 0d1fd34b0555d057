import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeVendor, type FakeVendor } from '../fakes/fake-vendor.ts';
import { CANARY } from '../helpers/hive-harness.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const JOBS = 50;

let vendor: FakeVendor;
let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  // Answers of different lengths and speeds, so a kill lands between calls, mid-stream and mid-settlement.
  vendor = await startFakeVendor({
    vendor: 'openai',
    respond: (req) => {
      const n = Number(/q(\d+)/.exec(req.lastUserText)?.[1] ?? 0);
      return { text: `answer ${n} `.repeat(1 + (n % 7)), usage: { input: 100 + n, output: 20 + n }, latencyMs: 10 + ((n * 37) % 300), chunkDelayMs: 5 };
    },
  });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-crash-'));
  env = {
    PATH: process.env.PATH ?? '',
    HIVE_DATA_DIR: dataDir,
    HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
    OPENAI_API_KEY: CANARY.openai,
    OPENAI_BASE_URL: vendor.url,
    LOG_LEVEL: 'warn',
  };
});
afterAll(async () => {
  await vendor.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(tsx, ['src/app/main.ts'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.resume();
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out: () => out, exited };
}

async function waitFor(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs lines to completion in a fresh process and returns what it printed. */
async function run(lines: string[]): Promise<string> {
  const p = start();
  p.child.stdin!.end(lines.map((l) => `${l}\n`).join(''));
  expect(await p.exited).toBe(0);
  return p.out();
}

const evidenceIds = (text: string) => [...text.matchAll(/evidence ([0-9A-Z]{26})/g)].map((m) => m[1]!);

function books(): { ids: Set<string>; ledgerNano: number; settledNano: number } {
  const db = new Database(path.join(dataDir, 'logs.sqlite'), { readonly: true });
  try {
    const ids = new Set((db.prepare('SELECT id FROM evidence').all() as { id: string }[]).map((r) => r.id));
    const ledgerNano = Number((db.prepare("SELECT coalesce(sum(cost_nano), 0) AS n FROM ledger WHERE workspace_id = 'local'").get() as { n: number }).n);
    const month = new Date().toISOString().slice(0, 7);
    const row = db.prepare('SELECT settled FROM budget_counters WHERE key = ?').get(`spend|local|${month}`) as { settled: number } | undefined;
    return { ids, ledgerNano, settledNano: Number(row?.settled ?? 0) };
  } finally {
    db.close();
  }
}

describe('kill -9 during a burst of jobs', () => {
  beforeAll(async () => void (await run(['/hive budget workspace 50'])), 60_000);

  it.each([
    ['while the first calls are in flight', { requests: 8, footers: 0 }],
    ['after a dozen answers', { requests: 0, footers: 12 }],
    ['late in the burst', { requests: 0, footers: 35 }],
  ])(
    'GIVEN a capped budget WHEN killed %s THEN every footer shown has its evidence and the ledger equals the budget counters',
    async (_when, at) => {
      const before = vendor.requests.length;
      const p = start();
      p.child.stdin!.write(Array.from({ length: JOBS }, (_, i) => `/ask --model openai:gpt-6-luna q${i} what is ${i} squared?\n`).join(''));
      await waitFor(() => vendor.requests.length - before >= at.requests && evidenceIds(p.out()).length >= at.footers, 'the kill point');
      p.child.kill('SIGKILL');
      await p.exited;
      const b = books();
      for (const id of evidenceIds(p.out())) expect(b.ids.has(id), `evidence ${id} shown in a footer`).toBe(true);
      expect(b.settledNano).toBe(b.ledgerNano);
    },
    60_000,
  );

  it('GIVEN the crashes above THEN after a restart /hive usage and /hive budget report the same spend', async () => {
    const after = await run(['/hive usage', '/hive budget']);
    const usage = /Usage [^:\n]*: (\$[\d.]+)/.exec(after)?.[1];
    const budget = /Workspace: (\$[\d.]+)/.exec(after)?.[1];
    expect(usage).toMatch(/^\$0\.\d+/);
    expect(budget).toBe(usage);
    expect(books().ledgerNano).toBeGreaterThan(0);
  }, 60_000);
});
