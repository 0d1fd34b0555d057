import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/app/config.ts';
import { createHive } from '../src/app/hive.ts';
import { scopesFor, scopeStatus } from '../src/money/budget.ts';
import { startFakeVendor } from '../test/fakes/fake-vendor.ts';
import type { BenchResult } from './types.ts';

const JOBS = 200;
const CAP_USD = 0.01;

/** 200 concurrent jobs against a small monthly cap: how far past the cap recorded spend goes. */
export async function benchBudgetOvershoot(): Promise<BenchResult> {
  const fake = await startFakeVendor({ vendor: 'openai', respond: () => ({ text: 'ok', usage: { output: 600 }, latencyMs: 5 }) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-bench-budget-'));
  const hive = await createHive(
    loadConfig({
      HIVE_DATA_DIR: dir,
      HIVE_MASTER_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      OPENAI_API_KEY: 'sk-bench-budget-0123456789abcdefgh',
      OPENAI_BASE_URL: fake.url,
      HIVE_MAX_OUTPUT_TOKENS: '1000',
    }),
    { logSink: { write: () => undefined } },
  );
  try {
    await hive.ctx.settings.update('local', (s) => void (s.budgets = { workspaceUsd: CAP_USD }));
    const origin = { workspaceId: 'local', channelId: 'bench', userId: 'bench', platform: 'bench', command: 'ask' };
    const t0 = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: JOBS }, (_, i) =>
        hive.ctx.runner.ask({ origin, question: `question ${i}`, route: { model: { vendor: 'openai', model: 'gpt-6-luna' } } }),
      ),
    );
    const elapsed = performance.now() - t0;
    const [ws] = await scopeStatus(hive.books, scopesFor(origin, { workspaceUsd: CAP_USD }, new Date()));
    const ledger = await hive.ledger.summarize('local', new Date().toISOString().slice(0, 10), new Date().toISOString().slice(0, 10));
    const answered = results.filter((r) => r.status === 'fulfilled').length;
    const overshoot = Math.max(0, ledger.total.usd - CAP_USD);
    return {
      name: `budget overshoot: ${JOBS} concurrent jobs against a $${CAP_USD} cap (SQLite)`,
      rows: [
        {
          jobs: JOBS,
          answered,
          refused: JOBS - answered,
          'cap $': CAP_USD,
          'ledger spend $': ledger.total.usd.toFixed(6),
          'budget counter $': ws!.spentUsd.toFixed(6),
          'overshoot $': overshoot.toFixed(6),
          'wall ms': elapsed.toFixed(0),
        },
      ],
      verdicts: [`overshoot $${overshoot.toFixed(6)} (goal 0) — ${overshoot === 0 ? 'met' : 'NOT met'}`],
    };
  } finally {
    await hive.close();
    await fake.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
