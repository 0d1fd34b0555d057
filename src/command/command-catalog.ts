import type { CommandCatalog, CommandTraits } from '../chat/dispatcher.ts';
import type { Command } from './command.ts';

/** The catalog of the commands the dispatcher runs. */
export function createCommandCatalog(commands: readonly Command[]): CommandCatalog {
  const byName = new Map<string, CommandTraits>(
    commands.map((c) => [c.name, { name: c.name, ...(c.quick ? { quick: true } : {}), ...(c.conversational ? { conversational: true } : {}) }]),
  );
  return { find: (name) => byName.get(name) };
}
