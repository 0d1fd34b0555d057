import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { createBooks, type LedgerRow } from '../../src/money/books.ts';
import { recordStatements } from '../helpers/sqlite-statements.ts';
import { ledgerRow } from '../store/log-fixtures.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hive-group-commit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const keys = ['spend|w|2026-11', 'spend|w|2026-11|c|C1', 'spend|w|2026-11|u|U1'];
const row = (i: number): LedgerRow => ledgerRow({ at: Date.parse('2026-11-24T12:00:00Z') + i, cost_nano: 1000 + i, evidence_id: `E${i}` });

describe('bookings that land together commit together', () => {
  it('GIVEN 100 answers booked at once THEN they share a few transactions, one that fails alone is refused, and the ledger equals the counters', async () => {
    const db = await openLogDb(`sqlite://${path.join(dir, 'logs.sqlite')}`);
    const books = createBooks(db);
    const statements = recordStatements();
    const begins = () => statements.filter((s) => s === 'begin');
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        books.commit([{ keys, costNano: 1000 + i, row: row(i) }], async (trx) => {
          if (i === 37) throw new Error('this booking cannot be written');
          await trx
            .insertInto('evidence')
            .values({ id: `E${i}`, workspace_id: 'w', created_at: 0, record: '{}', content: null, content_expires_at: 0 })
            .execute();
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[37]!.status).toBe('rejected');
    // One transaction per group (and one per unit of the group that failed), never one per answer.
    expect(begins().length).toBeGreaterThan(0);
    expect(begins().length).toBeLessThan(100);
    const ledger = await db.selectFrom('ledger').select(['evidence_id', 'cost_nano']).execute();
    expect(ledger).toHaveLength(99);
    expect(ledger.map((r) => r.evidence_id)).not.toContain('E37');
    expect(await db.selectFrom('evidence').select('id').execute()).toHaveLength(99);
    const sum = ledger.reduce((a, r) => a + Number(r.cost_nano), 0);
    for (const b of await books.balances(keys)) expect(b.settled).toBe(sum);
    await db.destroy();
  });
});
