import type { JobFacts, OnRecorded } from '../jobs/job-facts.ts';
import type { HiveContext } from './command.ts';

/**
 * The context one invocation's command runs with: every model job it starts (ask, consensus,
 * digest) tells `facts` what its evidence record holds, so the dispatcher can log one line per job
 * without any command or platform doing so.
 */
export function reportingContext(ctx: HiveContext, facts: JobFacts[]): HiveContext {
  const told =
    (own: OnRecorded | undefined): OnRecorded =>
    (f) => {
      facts.push(f);
      own?.(f);
    };
  return {
    ...ctx,
    runner: { ask: (input) => ctx.runner.ask({ ...input, onRecorded: told(input.onRecorded) }) },
    consensus: { run: (input) => ctx.consensus.run({ ...input, onRecorded: told(input.onRecorded) }) },
    digests: { ...ctx.digests, runner: { run: (input) => ctx.digests.runner.run({ ...input, onRecorded: told(input.onRecorded) }) } },
  };
}
