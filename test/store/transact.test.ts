import { afterEach, describe, expect, it } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { transact } from '../../src/store/transact.ts';
import { ledgerRow } from './log-fixtures.ts';

const aborted = (code: string) => Object.assign(new Error('deadlock detected'), { code });

describe('transact', () => {
  let db: LogDb;
  afterEach(() => db.destroy());

  it('GIVEN a transaction the database aborted to break a deadlock THEN it runs again, and only the last attempt lands', async () => {
    db = await openLogDb('memory://');
    let attempts = 0;
    const result = await transact(db, async (trx) => {
      attempts++;
      await trx
        .insertInto('ledger')
        .values(ledgerRow({ evidence_id: `E${attempts}` }))
        .execute();
      if (attempts < 3) throw aborted(attempts === 1 ? '40P01' : '40001');
      return 'done';
    });
    expect(result).toBe('done');
    expect(await db.selectFrom('ledger').select('evidence_id').execute()).toEqual([{ evidence_id: 'E3' }]);
  });

  it('GIVEN other failures, or a third deadlock, THEN the error is passed on as it was', async () => {
    db = await openLogDb('memory://');
    let attempts = 0;
    const bad = new Error('no such column');
    await expect(transact(db, () => (attempts++, Promise.reject(bad)))).rejects.toBe(bad);
    expect(attempts).toBe(1);
    attempts = 0;
    await expect(transact(db, () => (attempts++, Promise.reject(aborted('40P01'))))).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(3);
  });
});
