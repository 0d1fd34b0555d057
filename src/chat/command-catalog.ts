import type { Command, CommandTraits } from './command.ts';

/** Lets a platform ask what a verb is (quick, conversational) by name, instead of keeping lists of names. */
export interface CommandCatalog {
  find(name: string): CommandTraits | undefined;
}

/** The catalog of the commands the dispatcher runs. */
export function createCommandCatalog(commands: readonly Command[]): CommandCatalog {
  const byName = new Map<string, CommandTraits>(
    commands.map((c) => [c.name, { name: c.name, ...(c.quick ? { quick: true } : {}), ...(c.conversational ? { conversational: true } : {}) }]),
  );
  return { find: (name) => byName.get(name) };
}
