import { describe, expect, it } from 'vitest';
import { answeredFailures, fail, giveUp, type JobRun } from '../../src/routing/executor-attempt.ts';
import { PacerFullError } from '../../src/pacing/pacer.ts';
import { ExecutionFailed } from '../../src/routing/execution.ts';
import { HiveError } from '../../src/shared/errors.ts';

const run = (): JobRun => ({ x: {}, failures: [], setbacks: new Map(), calls: [] }) as unknown as JobRun;

describe("a job's run across vendors", () => {
  it('GIVEN several full rate limits THEN the job gives up with the soonest, not the last failure', () => {
    const r = run();
    fail(r, 'openai', 'rate limit full', new PacerFullError('openai', 90_000, 0));
    fail(r, 'anthropic', 'rate limit full', new PacerFullError('anthropic', 30_000, 0));
    fail(r, 'google', 'rate limit full', new PacerFullError('google', 60_000, 0));
    const thrown = (() => {
      try {
        giveUp(r);
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toBeInstanceOf(ExecutionFailed);
    expect((thrown as ExecutionFailed).last).toBeInstanceOf(PacerFullError);
    expect(((thrown as ExecutionFailed).last as PacerFullError).vendor).toBe('anthropic');
  });

  it('GIVEN a setback on a vendor that did not answer THEN it is named beside the answer, once', () => {
    const r = run();
    fail(r, 'google', 'overloaded', new HiveError('x', 'y'));
    r.setbacks.set('anthropic', 'overloaded');
    r.setbacks.set('openai', 'timed out');
    expect(answeredFailures(r, 'openai')).toEqual(['google overloaded', 'anthropic overloaded']);
  });
});
