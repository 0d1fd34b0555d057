import type { Command } from '../src/command/command.ts';
import type { Reply } from '../src/chat/invocation.ts';
import { shown } from '../src/chat/args.ts';
import { UserError } from '../src/shared/errors.ts';
import { keysVerb } from './hive-keys.ts';
import { modelsVerb } from './hive-models.ts';
import { evidenceVerb } from './hive-evidence.ts';
import { usageVerb } from './hive-usage.ts';
import { budgetVerb } from './hive-budget.ts';
import { lanesVerb } from './hive-lanes.ts';
import { routingVerb } from './hive-routing.ts';
import { threadsVerb } from './hive-threads.ts';
import type { HiveVerb } from './hive-verb.ts';

export type { HiveVerb } from './hive-verb.ts';

const VERBS: HiveVerb[] = [keysVerb, usageVerb, budgetVerb, lanesVerb, routingVerb, threadsVerb, modelsVerb, evidenceVerb];

/** `/hive`: workspace administration and inspection. */
export function createHiveCommand(siblings: () => readonly Command[]): Command {
  const usage = `/hive ${[...VERBS.map((v) => v.name), 'help'].join('|')} …`;
  return {
    name: 'hive',
    quick: true,
    summary: 'Keys, usage, budgets, lanes, models, evidence and help.',
    usage,
    async run(inv, ctx) {
      const [word = 'help', ...rest] = inv.text.trim().split(/\s+/);
      const verb = word.toLowerCase();
      const args = rest.join(' ');
      if (verb === 'help' || verb === '') return helpReply(siblings());
      const found = VERBS.find((v) => v.name === verb);
      if (!found) throw new UserError(`Unknown /hive verb "${shown(word)}". Try: ${[...VERBS.map((v) => v.name), 'help'].join(', ')}.`, 'usage');
      return found.run(inv, ctx, args);
    },
  };
}

function helpReply(commands: readonly Command[]): Reply {
  const lines = [
    '*Hive* routes your questions to your own Anthropic, OpenAI and Gemini keys and shows what each answer cost.',
    '',
    ...commands.filter((c) => c.name !== 'hive' && !c.action).map((c) => `• \`${c.usage}\` — ${c.summary}`),
    `• Buttons under an answer re-run it deeper or cheaper, ask a consensus, confirm or cancel a job, or mark it helpful; at a terminal, type them with the answer's number: ${commands
      .filter((c) => c.action)
      .map((c) => `\`/${c.name} 3\``)
      .join(', ')}.`,
    ...VERBS.map((v) => `• \`${v.usage}\` — ${v.summary}`),
    '• `/hive help` — this message',
  ];
  return { text: lines.join('\n'), visibility: 'private' };
}
