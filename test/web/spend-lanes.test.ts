import { describe, expect, it } from 'vitest';
import type { ActionCount, RouteTally } from '../../src/jobs/answer-book.ts';
import { loadSpendPage } from '../../src/jobs/spend-page.ts';
import type { PageTable } from '../../src/jobs/page-model.ts';
import { createBooks } from '../../src/money/books.ts';
import { createLedger } from '../../src/money/ledger.ts';
import { ledgerRow, opener, suiteBackends } from '../store/log-fixtures.ts';

const day1 = Date.parse('2026-11-03T00:00:00Z');
const NOW = day1 + 40 * 86_400_000;

const table = (sections: Awaited<ReturnType<typeof loadSpendPage>>['sections'], caption: string): PageTable | undefined =>
  sections.flatMap((s) => s.tables ?? []).find((t) => t.caption === caption);

describe.each(suiteBackends())('the spend page by lane, by rule and feedback, on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN calls on lanes and rules and feedback on answers THEN the breakdown has both tables and the feedback is counted per lane', async () => {
    const db = await open();
    await db
      .insertInto('ledger')
      .values([
        ledgerRow({ at: day1 + 1, lane: 'cheap', route: 'auto: short question', cost_nano: 1_000_000 }),
        ledgerRow({ at: day1 + 2, lane: 'deep', route: '--deep', cost_nano: 9_000_000 }),
        ledgerRow({ at: day1 + 86_400_000, lane: 'deep', route: 'consensus', cost_nano: 5_000_000 }),
        ledgerRow({ at: day1 + 3, cost_nano: 2_000_000 }),
      ])
      .execute();
    const asked: [string, number, number][] = [];
    const counts: ActionCount[] = [
      { lane: 'deep', kind: 'helpful', n: 3 },
      { lane: 'cheap', kind: 'deeper', n: 2 },
      { lane: 'cheap', kind: 'unhelpful', n: 1 },
      { lane: 'custom', kind: 'cancel', n: 1 },
    ];
    const answers = { counts: async (ws: string, since: number, until: number) => (asked.push([ws, since, until]), counts) };
    const settings = { get: async () => ({}) };
    const d = { ledger: createLedger(db, () => NOW), books: createBooks(db), settings, answers };
    const page = await loadSpendPage(d, 'w', { from: '2026-11-01', to: '2026-11-30' }, new Date(NOW));
    expect(asked).toEqual([['w', Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-12-01T00:00:00Z')]]);
    const breakdown = page.sections.find((s) => s.heading === 'Breakdown')!.tables!.map((t) => t.caption);
    expect(breakdown).toEqual(['By model', 'By vendor', 'By user', 'By channel', 'By lane', 'By route rule']);
    expect(table(page.sections, 'By lane')!.rows.map((r) => r.slice(0, 3))).toEqual([
      ['deep', '$0.014', '2'],
      ['unrecorded', '$0.0020', '1'],
      ['cheap', '$0.0010', '1'],
    ]);
    expect(table(page.sections, 'By route rule')!.rows.map((r) => r.slice(0, 3))).toEqual([
      ['--deep', '$0.0090', '1'],
      ['consensus', '$0.0050', '1'],
      ['unrecorded', '$0.0020', '1'],
      ['auto: short question', '$0.0010', '1'],
    ]);
    const feedback = table(page.sections, 'Feedback by lane')!;
    expect(feedback.head).toEqual(['Lane', 'Helpful', 'Not helpful', 'Re-run deeper', 'Re-run cheaper', 'Asked for a consensus', 'Cancelled']);
    expect(feedback.rows).toEqual([
      ['cheap', '0', '1', '2', '0', '0', '0'],
      ['deep', '3', '0', '0', '0', '0', '0'],
      ['custom', '0', '0', '0', '0', '0', '1'],
    ]);
    expect(page.days).toHaveLength(30);
    expect(page.days[2]).toEqual({ day: '2026-11-03', byVendor: { openai: 0.012 } });
    expect(page.sections.find((s) => s.heading === 'Routing')).toBeUndefined();
  });

  it('GIVEN answered jobs per lane and rule THEN the routing section joins them with spend, strong-lane spend first', async () => {
    const db = await open();
    await db
      .insertInto('ledger')
      .values([
        ledgerRow({ at: day1 + 1, lane: 'cheap', route: 'cheap first', cost_nano: 1_000_000 }),
        ledgerRow({ at: day1 + 2, lane: 'balanced', route: 'cheap first: escalated', cost_nano: 9_000_000 }),
        ledgerRow({ at: day1 + 3, lane: 'cheap', route: 'cheap first: sure', cost_nano: 2_000_000 }),
      ])
      .execute();
    const routes: RouteTally[] = [
      { lane: 'cheap', rule: 'cheap first: sure', jobs: 3, actions: { helpful: 1 } },
      { lane: 'balanced', rule: 'cheap first: escalated', jobs: 1, actions: { cheaper: 1 } },
    ];
    const answers = { counts: async () => [], routes: async () => routes };
    const d = { ledger: createLedger(db, () => NOW), books: createBooks(db), settings: { get: async () => ({}) }, answers };
    const page = await loadSpendPage(d, 'w', { from: '2026-11-01', to: '2026-11-30' }, new Date(NOW));
    const rules = table(page.sections, 'Routing by rule, most spend on the strong lanes first')!;
    expect(rules.head.slice(0, 6)).toEqual(['Name', 'Answered jobs', 'Share of jobs', 'Spend', 'Share of spend', 're-run deeper']);
    expect(rules.rows.map((r) => r.slice(0, 5))).toEqual([
      ['cheap first: escalated → balanced', '1', '25%', '$0.0090', '75%'],
      ['cheap first: sure → cheap', '3', '75%', '$0.0020', '17%'],
      ['cheap first (calls of jobs that moved on or failed)', '0', '0%', '$0.0010', '8%'],
    ]);
    expect(table(page.sections, 'Routing by lane')!.rows.map((r) => r[0])).toEqual(['cheap', 'balanced']);
  });

  it('GIVEN no feedback in the period THEN the feedback section says so, with no table', async () => {
    const db = await open();
    const d = { ledger: createLedger(db, () => NOW), books: createBooks(db), settings: { get: async () => ({}) }, answers: { counts: async () => [] } };
    const page = await loadSpendPage(d, 'w', { from: '2026-11-01', to: '2026-11-30' }, new Date(NOW));
    const section = page.sections.find((s) => s.heading === 'Feedback on answers')!;
    expect(section.tables).toEqual([]);
    expect(section.notes).toEqual(['No one marked, re-ran or cancelled an answer in this period.']);
  });
});
