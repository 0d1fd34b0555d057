import { sql, type Kysely, type Migration } from 'kysely';

/** Spend split by lane and by routing rule: each ledger row says which lane its job took and why. */
export const LANE_MIGRATIONS: Record<string, Migration> = {
  '0012_ledger_lane_route': {
    // The lane a call's job was routed to and the rule that chose it, on each ledger row and on each
    // call start (so a call booked as stopped carries them too); null on rows written before, which
    // usage shows as `unrecorded`. Daily totals gain lane and route dimensions: the totals already
    // built have none, so they are dropped here and rebuilt from the rows on the next read.
    async up(db: Kysely<unknown>) {
      for (const table of ['ledger', 'call_starts']) {
        await db.schema.alterTable(table).addColumn('lane', 'text').execute();
        await db.schema.alterTable(table).addColumn('route', 'text').execute();
      }
      await sql`delete from ledger_rollup_days`.execute(db);
      await sql`delete from ledger_rollup`.execute(db);
    },
  },
};
