import { SlashCommandBuilder, type RESTPostAPIChatInputApplicationCommandsJSONBody, type SlashCommandAttachmentOption } from 'discord.js';

/** `/hive` subcommands; each takes the rest of its words as typed after `/hive <sub>`, as in Slack and the terminal. */
const HIVE_SUBCOMMANDS: readonly [string, string][] = [
  ['help', 'What Hive can do here'],
  ['keys', "This server's vendor keys (adding one opens a private form)"],
  ['usage', 'Spend and tokens: day, week, month, 2026-11, 2026-11-01..2026-11-15'],
  ['budget', 'Monthly caps for the server, this channel and you'],
  ['models', 'Models, prices and where each price comes from'],
  ['lanes', 'Which models each lane uses, routing policies, and the vendor limits'],
  ['routing', 'Admins: jobs, spend and feedback per lane and routing rule'],
  ['threads', 'Answer every message in Hive threads, or only mentions'],
  ['evidence', 'The audit record behind an answer (its evidence id)'],
];

const LANES = ['cheap', 'balanced', 'deep'] as const;

/** `/ask` and `/consensus` take a file with the question (Discord's attachment option, type 11). */
const fileOption = (o: SlashCommandAttachmentOption) => o.setName('file').setDescription('A file to read with the question: a log, code, a PDF, an image');

/** The slash commands Hive registers, with typed options; Discord shows their descriptions in the picker. */
export function discordCommands(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const ask = new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a model; the answer opens a thread for follow-ups')
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(6000))
    .addStringOption((o) =>
      o
        .setName('lane')
        .setDescription('Cost lane (default: chosen for the question)')
        .addChoices(...LANES.map((l) => ({ name: l, value: l }))),
    )
    .addStringOption((o) =>
      o.setName('model').setDescription('A model by name, e.g. openai:gpt-6-luna (see /hive models)').setMaxLength(100).setAutocomplete(true),
    )
    .addAttachmentOption(fileOption);
  const consensus = new SlashCommandBuilder()
    .setName('consensus')
    .setDescription("Several vendors' models answer at once; see where they agree")
    .addStringOption((o) => o.setName('question').setDescription('Your question').setRequired(true).setMaxLength(6000))
    .addStringOption((o) => o.setName('models').setDescription('Comma-separated models (default: one per vendor)').setMaxLength(300))
    .addAttachmentOption(fileOption);
  const hive = new SlashCommandBuilder().setName('hive').setDescription('Keys, usage, budgets, models and lanes for this server');
  for (const [name, description] of HIVE_SUBCOMMANDS) {
    hive.addSubcommand((s) =>
      s
        .setName(name)
        .setDescription(description)
        .addStringOption((o) => o.setName('args').setDescription(`What follows /hive ${name}`).setMaxLength(1000)),
    );
  }
  return [ask.toJSON(), consensus.toJSON(), digestCommand().toJSON(), hive.toJSON()];
}

/** `/digest`: the channel's daily digest; `on` takes the time and zone as typed options. */
function digestCommand(): SlashCommandBuilder {
  const digest = new SlashCommandBuilder().setName('digest').setDescription("This channel's daily digest: decisions, action items, open questions");
  digest.addSubcommand((s) =>
    s
      .setName('on')
      .setDescription('Turn it on (Hive then keeps this channel’s messages for the digest)')
      .addStringOption((o) => o.setName('time').setDescription('Local time, 24-hour HH:MM (default 09:00)').setMaxLength(5))
      .addStringOption((o) => o.setName('zone').setDescription('Time zone as Area/City, e.g. Europe/Paris (default: the server’s, else UTC)').setMaxLength(64)),
  );
  digest.addSubcommand((s) =>
    s
      .setName('off')
      .setDescription('Turn it off and delete what was kept; its settings stay for the next on')
      .addBooleanOption((o) => o.setName('forget').setDescription('Delete its settings too (schedule, lane, length, quiet days, budget)')),
  );
  for (const [name, description] of DIGEST_SUBCOMMANDS) digest.addSubcommand((s) => s.setName(name).setDescription(description));
  for (const [name, description] of DIGEST_ARG_SUBCOMMANDS)
    digest.addSubcommand((s) =>
      s
        .setName(name)
        .setDescription(description)
        .addStringOption((o) => o.setName('args').setDescription(`What follows /digest ${name}`).setRequired(true).setMaxLength(200)),
    );
  return digest;
}

const DIGEST_SUBCOMMANDS: readonly [string, string][] = [
  ['now', 'A digest of the last 24 hours, posted here'],
  ['status', 'Schedule, next run, what is kept, this month’s digest spend'],
  ['backfill', 'Read the last 24 hours of this channel so the first digest is not empty'],
];

const DIGEST_ARG_SUBCOMMANDS: readonly [string, string][] = [
  ['set', 'lane, model, length, quiet or budget, and its value'],
  ['who', 'admins or members: who may turn digests on'],
  ['zone', 'The time zone /digest on means when none is given (Area/City)'],
];
