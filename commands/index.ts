import type { Command } from '../src/command.ts';
import { askCommand } from './ask.ts';
import { createHiveCommand } from './hive.ts';

/** Every chat command, for the composition root. */
export function createCommands(): Command[] {
  const all: Command[] = [askCommand];
  all.push(createHiveCommand(() => all));
  return all;
}
