import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';

/** A `/hive` sub-verb: gets the text after the verb. */
export interface HiveVerb {
  name: string;
  usage: string;
  summary: string;
  run(inv: Invocation, ctx: HiveContext, args: string): Promise<Reply>;
}
