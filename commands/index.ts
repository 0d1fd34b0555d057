import type { Command } from '../src/chat/command.ts';
import { askCommand } from './ask.ts';
import { consensusCommand } from './consensus.ts';
import { createHiveCommand } from './hive.ts';

/** Every chat command, for the composition root. */
export function createCommands(): Command[] {
  const all: Command[] = [askCommand, consensusCommand];
  all.push(createHiveCommand(() => all));
  return all;
}
