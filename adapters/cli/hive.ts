import { evidenceWithActions } from '../../src/jobs/evidence-export.ts';
import { formatKeyStatus } from '../../commands/hive-keys.ts';
import { renderUsage } from '../../commands/hive-usage.ts';
import { LEDGER_CSV_COLUMNS, ledgerCsvLine } from '../../src/money/ledger-csv.ts';
import { CHAT_ADAPTERS } from '../chat/registry.ts';
import type { DiscordConfig } from '../chat/discord/config.ts';
import { loadConfig } from '../../src/app/config.ts';
import { ConfigError, UserError } from '../../src/shared/errors.ts';
import { LOCAL_WORKSPACE } from '../../src/keys/key-service.ts';
import { checkWorkspaceId } from '../../src/shared/workspace-id.ts';
import { requireKnownWorkspace } from './known-workspace.ts';
import { parseUsagePeriod } from '../../commands/usage-period.ts';
import { createHive, type Hive } from '../../src/app/hive.ts';
import { parseVendor } from '../../src/shared/types.ts';
import { type Vendor } from '../../src/shared/provider-spec.ts';
import { VENDOR_INFO } from '../../src/models/vendor-info.ts';
import { readSecret } from './read-secret.ts';
import { masterKeyReset } from './master-key-reset.ts';
import { createSecretRegistry } from '../../src/shared/secrets.ts';
import { loadDotEnv } from '../../src/app/env-file.ts';
import { runRole } from './run-role.ts';
import { readCliArgs } from './cli-args.ts';
import { verbUsage } from './cli-usage.ts';

interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The operator CLI; returns the exit code. Secrets come from stdin, never argv. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  let hive: Hive | undefined;
  try {
    const start = readCliArgs(argv);
    if ('print' in start) {
      io[start.to].write(`${start.print}\n`);
      return start.code;
    }
    const { values, positionals } = start.run;
    if (positionals[0] === 'master-key') return await masterKeyReset(positionals[1], values.yes === true, env, io.stdout, values.force === true);
    if (positionals[0] === 'discord') return await discordCli(positionals[1], values.guild, env, io.stdout);
    if (positionals[0] === 'serve' || positionals[0] === 'worker') return await runRole(positionals[0], env);
    // Every verb that takes --workspace (keys, usage, evidence export) refuses an id no workspace can have, before anything opens.
    if (values.workspace !== undefined) checkWorkspaceArg(values.workspace);
    hive = await createHive(loadConfig(env, CHAT_ADAPTERS), { logFd: 2 });
    return await dispatch(hive, positionals, values, io, env);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UserError) io.stderr.write(`${e.message}\n`);
    else io.stderr.write(`hive: ${(hive?.secrets ?? createSecretRegistry()).scrub(String(e instanceof Error ? e.message : e))}\n`);
    return e instanceof UserError ? 2 : 1;
  } finally {
    await hive?.close();
  }
}

type Values = { workspace?: string; vendor?: string; 'no-verify'?: boolean; force?: boolean; period?: string; json?: boolean; csv?: boolean; since?: string };

async function dispatch(hive: Hive, pos: string[], v: Values, io: Io, env: NodeJS.ProcessEnv): Promise<number> {
  const ws = v.workspace ?? LOCAL_WORKSPACE;
  const [group, action] = pos;
  if (group === 'keys' && action === 'set') {
    await requireKnownWorkspace(hive, ws, v.force === true, env);
    return keysSet(hive, ws, vendorOf(v.vendor), !v['no-verify'], io);
  }
  if (group === 'keys' && action === 'list') {
    const list = await hive.keys.list(ws);
    io.stdout.write(list.length ? `${list.map(formatKeyStatus).join('\n')}\n` : `No keys for ${ws}.\n`);
    return 0;
  }
  if (group === 'keys' && action === 'test') {
    io.stdout.write(`${formatKeyStatus(await hive.keys.test(ws, vendorOf(v.vendor)))}\n`);
    return 0;
  }
  if (group === 'keys' && action === 'remove') {
    const removed = await hive.keys.remove(ws, vendorOf(v.vendor));
    io.stdout.write(removed ? 'Removed.\n' : 'No such key.\n');
    return removed ? 0 : 1;
  }
  if (group === 'evidence' && action === 'export') return evidenceExport(hive, v, io);
  if (group === 'evidence' && action) return evidence(hive, action, io);
  if (group === 'usage') return usage(hive, ws, v, io);
  throw new UserError(`Unknown command.\n${verbUsage(group ?? '')}`, 'usage');
}

/** Refuses a `--workspace` no workspace can have, saying what a valid id looks like and which one was likely meant. */
function checkWorkspaceArg(raw: string): void {
  const c = checkWorkspaceId(raw);
  if (!c.ok) throw new UserError(`--workspace: ${c.message}`, 'usage');
}

function vendorOf(v: string | undefined): Vendor {
  const vendor = parseVendor(v);
  if (!vendor) throw new UserError('--vendor must be anthropic, openai or google.');
  return vendor;
}

async function keysSet(hive: Hive, ws: string, vendor: Vendor, verify: boolean, io: Io): Promise<number> {
  const key = await readSecret(io.stdin, `Paste the ${VENDOR_INFO[vendor].label} key for ${ws} and press Enter (hidden): `, io.stderr);
  const info = await hive.keys.register(ws, vendor, key, { verify, addedBy: 'cli' });
  const how = verify ? 'verified with the vendor' : 'NOT verified (--no-verify)';
  io.stdout.write(`Stored ${VENDOR_INFO[vendor].label} key ${info.masked} for ${ws}, ${how}.\n`);
  return 0;
}

async function evidence(hive: Hive, id: string, io: Io): Promise<number> {
  const view = await hive.evidence.get(id, '*');
  if (!view) throw new UserError(`No evidence ${id}.`);
  io.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
  return 0;
}

async function usage(hive: Hive, ws: string, v: Values, io: Io): Promise<number> {
  const { from, to } = parseUsagePeriod(v.period ?? 'month', new Date());
  if (v.json && v.csv) throw new UserError('Use either --json or --csv, not both.');
  if (v.csv) return usageCsv(hive, ws, from, to, io);
  const summary = await hive.ledger.summarize(ws, from, to);
  io.stdout.write(v.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderUsage(summary)}\n`);
  return 0;
}

/** Evidence records since a UTC day, one JSON object per line with the actions taken on each answer, for audit; every workspace unless one is named. */
async function evidenceExport(hive: Hive, v: Values, io: Io): Promise<number> {
  const day = v.since ?? '';
  const at = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (!Number.isFinite(at)) throw new UserError('--since takes a UTC day, e.g. --since 2026-11-01.');
  for await (const view of evidenceWithActions(hive.evidence, hive.ctx.answers.book, at, v.workspace ?? '*')) io.stdout.write(`${JSON.stringify(view)}\n`);
  return 0;
}

/** Every call of the period as CSV with a header line, streamed, for finance. */
async function usageCsv(hive: Hive, ws: string, from: string, to: string, io: Io): Promise<number> {
  io.stdout.write(`${LEDGER_CSV_COLUMNS.join(',')}\n`);
  for await (const row of hive.ledger.rows(ws, from, to)) io.stdout.write(`${ledgerCsvLine(row)}\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  loadDotEnv();
  process.exitCode = await runCli(process.argv.slice(2), process.env, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
}

/** `hive discord register`: the slash commands a server needs before /ask shows up in it. */
async function discordCli(verb: string | undefined, guild: string | undefined, env: NodeJS.ProcessEnv, out: NodeJS.WritableStream): Promise<number> {
  if (verb !== 'register') throw new UserError('Usage: hive discord register [--guild <id>]', 'usage');
  if (guild !== undefined && !/^\d{17,20}$/.test(guild))
    throw new UserError(`--guild takes a server id (17 to 20 digits), not "${guild.slice(0, 40)}"`, 'usage');
  const config = loadConfig(env, CHAT_ADAPTERS).chat['discord'] as DiscordConfig | undefined;
  if (!config) throw new UserError('Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (from the developer portal) first.', 'usage');
  const { registerDiscordCommands } = await import('../chat/discord/register.ts');
  const r = await registerDiscordCommands(config, guild);
  out.write(`Registered /${r.names.join(', /')} for ${r.where}.\n`);
  return 0;
}
