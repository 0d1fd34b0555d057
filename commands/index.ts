import type { Command } from '../src/command/command.ts';
import { askCommand } from './ask.ts';
import { consensusCommand } from './consensus.ts';
import { createHiveCommand } from './hive.ts';
import { digestCommand } from './digest.ts';

/** Every chat command, for the composition root. */
export function createCommands(): Command[] {
  const all: Command[] = [askCommand, consensusCommand, digestCommand];
  all.push(createHiveCommand(() => all));
  return all;
}
