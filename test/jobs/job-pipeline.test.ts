import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLogDb } from '../../adapters/store/open-log-db.ts';
import { createEvidenceStore, type CallRecord, type JobOrigin } from '../../src/evidence/evidence-store.ts';
import type { JobFacts } from '../../src/jobs/job-facts.ts';
import { createJobPipeline, type JobPreflight, type JobSpec, type JobUnanswered, type JobWork } from '../../src/jobs/job-pipeline.ts';
import { createBooks } from '../../src/money/books.ts';
import { scopesFor } from '../../src/money/budget.ts';
import type { SpendGate } from '../../src/money/spend-gate.ts';
import { ExecutionFailed } from '../../src/routing/execution.ts';
import { HiveError, UserError } from '../../src/shared/errors.ts';
import type { LogDb } from '../../src/store/log-db.ts';
import { type ModelRef } from '../../src/shared/types.ts';
import { ZERO_USAGE, type ModelRequest } from '../../src/shared/provider-spec.ts';
import { builtInPrices } from '../helpers/built-in-prices.ts';

const ref: ModelRef = { vendor: 'openai', model: 'gpt-6-luna' };
const request: ModelRequest = { model: '', messages: [{ role: 'user', content: 'What is 6 times 7?' }], maxTokens: 1000 };
const origin: JobOrigin = { workspaceId: 'w', channelId: 'C1', userId: 'U1', platform: 'terminal', command: 'ask' };
const at = new Date('2026-11-24T12:00:00Z');
// A workspace cap, so every call holds its worst case before it is made.
const scopes = scopesFor(origin, { workspaceUsd: 5 }, at);

/** A call that ended with `outcome` and was billed `usd`. */
const call = (outcome: 'ok' | 'error', usd: number): CallRecord => ({
  vendor: ref.vendor,
  model: ref.model,
  startedAt: at.toISOString(),
  latencyMs: 5,
  usage: { ...ZERO_USAGE, inputTokens: 20, outputTokens: 3 },
  costUsd: usd,
  priceChecked: null,
  outcome,
  ...(outcome === 'error' ? { error: { code: 'openai_overloaded', kind: 'overloaded', message: 'cut off', retryable: true } } : {}),
});

/** One call made the way the executor makes it: hold its worst case, record its start, settle it with its record. */
async function callThrough(gate: SpendGate, record: CallRecord): Promise<CallRecord> {
  const hold = await gate.reserve(ref, request);
  await hold.start(ref);
  await hold.settle(record);
  return record;
}

let db: LogDb | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

/** The pipeline over real books and evidence on an in-memory log store. */
async function setup() {
  db = await openLogDb('memory://');
  const books = createBooks(db);
  const evidence = createEvidenceStore({ db, retentionDays: 30, now: () => at.getTime() });
  const facts: JobFacts[] = [];
  const held = async () => (await books.balances([scopes[0]!.key]))[0]!.held;
  const ledger = () => db!.selectFrom('ledger').select(['evidence_id', 'cost_nano']).execute();
  const records = () => db!.selectFrom('evidence').select('id').execute();
  /** A job of one kind: the same pre-flight every time, the execution the test supplies. */
  const spec = <W extends JobWork>(execute: JobSpec<JobPreflight, W>['execute'], more: Partial<JobSpec<JobPreflight, W>> = {}): JobSpec<JobPreflight, W> => ({
    origin,
    onRecorded: (f) => facts.push(f),
    prepare: async () => ({ plan: { lane: 'cheap', reason: 'default' }, request, scopes }),
    execute,
    footer: () => ({ models: [ref.model], notes: [] }),
    ...more,
  });
  return { pipeline: createJobPipeline({ books, evidence, catalogue: builtInPrices, now: () => at }), evidence, facts, held, ledger, records, spec };
}

describe('the job pipeline every model job runs on', () => {
  it.each([false, true])(
    'GIVEN an execution whose retry answers (answer booked with its evidence: %s) THEN each call books ONE ledger row under the job, and no hold is left',
    async (bookAnswerWithEvidence) => {
      const s = await setup();
      const done = await s.pipeline.run(
        s.spec(
          async (_p, run) => {
            const calls = [await callThrough(run.gate, call('error', 0.001)), await callThrough(run.gate, call('ok', 0.002))];
            return { calls, answer: 'forty-two' };
          },
          { bookAnswerWithEvidence },
        ),
      );
      const rows = await s.ledger();
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.evidence_id === done.id)).toBe(true);
      expect(rows.map((r) => Number(r.cost_nano)).sort()).toEqual([1_000_000, 2_000_000]);
      expect(await s.held()).toBe(0);
      expect(s.facts).toEqual([expect.objectContaining({ evidenceId: done.id, status: 'ok', calls: 2, costUsd: 0.003 })]);
      expect((await s.evidence.get(done.id, '*'))?.status).toBe('ok');
      expect(done.footer).toContain(`evidence ${done.id}`);
      expect(done.footer).toContain('$0.0030');
      await s.evidence.flush();
    },
  );

  it('GIVEN an execution that throws with a hold it never settled THEN the hold is released, the failure recorded ONCE, and the explained error thrown', async () => {
    const s = await setup();
    const billed = call('error', 0.001);
    const failed = new ExecutionFailed([billed], ['openai overloaded'], new HiveError('openai_overloaded', 'overloaded', { retryable: true }));
    const explain = vi.fn((_e: unknown, _p: JobPreflight, id: string) => new UserError(`OpenAI could not answer. Evidence ${id}.`, 'vendor_failed'));
    let heldDuring = 0;
    const job = s.pipeline.run(
      s.spec(
        async (_p, run): Promise<JobWork> => {
          await callThrough(run.gate, billed);
          await run.gate.reserve(ref, request); // abandoned: never started, settled or released
          heldDuring = await s.held();
          throw failed;
        },
        { explain },
      ),
    );
    await expect(job).rejects.toThrow(/^OpenAI could not answer\. Evidence [0-9A-Z]{26}\.$/);
    expect(heldDuring).toBeGreaterThan(0);
    expect(await s.held()).toBe(0);
    expect(explain).toHaveBeenCalledTimes(1);
    expect(explain.mock.calls[0]![0]).toBe(failed);
    expect(s.facts).toEqual([expect.objectContaining({ status: 'error', calls: 1 })]);
    expect(await s.records()).toHaveLength(1);
    const record = await s.evidence.get(s.facts[0]!.evidenceId, '*');
    expect(record).toMatchObject({ status: 'error', error: { code: 'openai_overloaded' } });
    expect(await s.ledger()).toHaveLength(1);
    await s.evidence.flush();
  });

  it('GIVEN an execution that ran but has nothing to show THEN its calls and details are recorded once as failed, and its error thrown as it is', async () => {
    const s = await setup();
    const error = new UserError('No model on the panel could answer.', 'consensus_failed');
    const job = s.pipeline.run(
      s.spec(async (_p, run): Promise<JobWork | JobUnanswered> => ({
        calls: [await callThrough(run.gate, call('error', 0.001))],
        details: { kind: 'test' },
        error,
      })),
    );
    await expect(job).rejects.toBe(error);
    expect(s.facts).toEqual([expect.objectContaining({ status: 'error', calls: 1 })]);
    const record = await s.evidence.get(s.facts[0]!.evidenceId, '*');
    expect(record).toMatchObject({ status: 'error', error: { code: 'consensus_failed' }, details: { kind: 'test' } });
    expect(await s.held()).toBe(0);
    await s.evidence.flush();
  });

  it('GIVEN a refusal before any spend THEN nothing runs, nothing is held and nothing is recorded', async () => {
    const s = await setup();
    const execute = vi.fn(async (): Promise<JobWork> => ({ calls: [], answer: '' }));
    const refusal = new UserError('This job needs confirming.', 'confirm_required');
    await expect(
      s.pipeline.run(
        s.spec(execute, {
          prepare: async () => {
            throw refusal;
          },
        }),
      ),
    ).rejects.toBe(refusal);
    expect(execute).not.toHaveBeenCalled();
    expect(s.facts).toEqual([]);
    expect(await s.records()).toEqual([]);
    expect(await s.held()).toBe(0);
  });
});
