import { afterEach, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { ledgerRecords } from '../../src/money/ledger-records.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { ledgerRow } from '../store/log-fixtures.ts';

let db: LogDb | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('ledgerRecords', () => {
  it('GIVEN rows around a day range THEN only the range’s rows of the workspace come, oldest first, as exported records', async () => {
    db = await openLogDb('memory://');
    await db
      .insertInto('ledger')
      .values([
        ledgerRow({ at: Date.parse('2026-11-04T00:00:00Z'), evidence_id: 'after' }),
        ledgerRow({ at: Date.parse('2026-11-03T23:59:59Z'), evidence_id: 'late', cost_nano: null, estimated: 1 }),
        ledgerRow({ at: Date.parse('2026-11-03T00:00:00Z'), evidence_id: 'early', cost_nano: 2_500_000_000 }),
        ledgerRow({ at: Date.parse('2026-11-02T23:59:59Z'), evidence_id: 'before' }),
        ledgerRow({ at: Date.parse('2026-11-03T12:00:00Z'), evidence_id: 'other', workspace_id: 'x' }),
      ])
      .execute();
    const got = [];
    for await (const r of ledgerRecords(db, 'w', '2026-11-03', '2026-11-03')) got.push(r);
    expect(got.map((r) => [r.evidenceId, r.costUsd, r.estimated, r.stopped])).toEqual([
      ['early', 2.5, false, false],
      ['late', null, true, false],
    ]);
    expect(got[0]).toMatchObject({ at: new Date('2026-11-03T00:00:00Z'), workspaceId: 'w', vendor: 'openai', model: 'gpt-6-luna', inputTokens: 10 });
  });
});
