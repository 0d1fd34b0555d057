import type { ChatInputCommandInteraction } from 'discord.js';

/**
 * The command line the dispatcher parses, from a slash command's typed options: Discord's
 * `/ask question:… lane:cheap model:openai:gpt-6-luna` becomes `--cheap --model openai:gpt-6-luna …`
 * and `/digest off forget:true` becomes `off --forget`, the same words a terminal or Slack user
 * types; `/hive` subcommands become its first words.
 */
export function slashText(i: Pick<ChatInputCommandInteraction, 'options'>): string {
  const words: string[] = [];
  const sub = i.options.getSubcommand(false);
  if (sub) words.push(sub);
  for (const name of ['time', 'zone']) {
    const v = i.options.getString(name);
    if (v) words.push(v);
  }
  if (i.options.getBoolean('forget')) words.push('--forget');
  const lane = i.options.getString('lane');
  if (lane) words.push(`--${lane}`);
  const model = i.options.getString('model');
  if (model) words.push('--model', model);
  const models = i.options.getString('models');
  if (models) words.push('--models', models);
  const args = i.options.getString('args');
  if (args) words.push(args);
  const question = i.options.getString('question');
  if (question) words.push(question);
  return words.join(' ');
}
