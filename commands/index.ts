import type { Command } from '../src/command/command.ts';
import { askCommand } from './ask.ts';
import { consensusCommand } from './consensus.ts';
import { createHiveCommand } from './hive.ts';
import { digestCommand } from './digest.ts';
import { deeperCommand } from './deeper.ts';
import { cheaperCommand } from './cheaper.ts';
import { compareCommand } from './compare.ts';
import { confirmCommand } from './confirm.ts';
import { cancelCommand } from './cancel.ts';
import { goodCommand } from './good.ts';
import { badCommand } from './bad.ts';

/** Every chat command, for the composition root. */
export function createCommands(): Command[] {
  const actions = [deeperCommand, cheaperCommand, compareCommand, confirmCommand, cancelCommand, goodCommand, badCommand];
  const all: Command[] = [askCommand, consensusCommand, digestCommand, ...actions.map((c) => ({ ...c, action: true }))];
  all.push(createHiveCommand(() => all));
  return all;
}
