import { afterAll, afterEach } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import type { EvidenceRecord } from '../../src/evidence/evidence-store.ts';
import type { LedgerRow } from '../../src/money/books.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { logBackends, type LogBackend } from './log-backends.ts';

/** The backends of one test file, closed (temp files removed, test database dropped) after it. */
export function suiteBackends(): LogBackend[] {
  const backends = logBackends();
  afterAll(async () => {
    for (const b of backends) await b.close();
  });
  return backends;
}

/** Opens stores for one test and destroys them after it. */
export function opener(backend: LogBackend): (url?: string) => Promise<LogDb> {
  const opened: LogDb[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.destroy()));
  });
  return async (url) => {
    const db = await openLogDb(url ?? (await backend.url()));
    opened.push(db);
    return db;
  };
}

/** A ledger row as the books write it, with overrides. */
export const ledgerRow = (o: Partial<LedgerRow> = {}): LedgerRow => ({
  at: Date.parse('2026-11-03T12:00:00Z'),
  workspace_id: 'w',
  channel_id: 'C1',
  user_id: 'U1',
  vendor: 'openai',
  model: 'gpt-6-luna',
  input_tokens: 10,
  output_tokens: 5,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  cost_nano: 1000,
  evidence_id: 'E1',
  estimated: 0,
  ...o,
});

/** A valid evidence id (26 Crockford characters) that sorts by `n`. */
export const evidenceId = (n: number) => `01JD${String(n).padStart(22, '0')}`;

/** An evidence record of `workspaceId` created at `createdAt` (ms). */
export const evidenceRecord = (n: number, workspaceId: string, createdAt: number): EvidenceRecord => ({
  id: evidenceId(n),
  createdAt: new Date(createdAt).toISOString(),
  workspaceId,
  channelId: 'C1',
  userId: 'U1',
  platform: 'terminal',
  command: 'ask',
  lane: 'cheap',
  laneReason: 'test',
  calls: [],
  status: 'ok',
  totalCostUsd: null,
  priceTableVersion: 'test',
});
