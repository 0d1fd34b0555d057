import { afterEach, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { DAY_MS, expireEvidence, RECORD_TTL_MS } from '../../src/evidence/evidence-retention.ts';
import type { LogDb } from '../../src/store/log-db.ts';

const AT = Date.parse('2026-11-03T12:00:00Z');
let db: LogDb | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const row = (id: string, createdAt: number, contentExpiresAt: number) => ({
  id,
  workspace_id: 'w',
  created_at: createdAt,
  record: '{}',
  content: '{"messages":[],"answer":"a"}',
  content_expires_at: contentExpiresAt,
});

describe('expireEvidence', () => {
  it('GIVEN records of every age THEN content past its expiry is cleared and records past their lifetime are deleted, others untouched', async () => {
    db = await openLogDb('memory://');
    await db
      .insertInto('evidence')
      .values([
        row('fresh', AT - DAY_MS, AT + DAY_MS),
        row('content-expired', AT - 40 * DAY_MS, AT),
        row('record-expired', AT - RECORD_TTL_MS, AT - RECORD_TTL_MS + 30 * DAY_MS),
      ])
      .execute();
    await expireEvidence(db, AT);
    const left = await db.selectFrom('evidence').select(['id', 'content']).orderBy('id').execute();
    expect(left).toEqual([
      { id: 'content-expired', content: null },
      { id: 'fresh', content: '{"messages":[],"answer":"a"}' },
    ]);
  });
});
