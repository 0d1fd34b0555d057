import { shown } from '../src/chat/args.ts';
import type { Command, HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import type { DigestChannel } from '../src/digest/digest-channels.ts';
import { parseDigestTime } from '../src/digest/schedule.ts';
import { UserError } from '../src/shared/errors.ts';
import { requireAdmin } from './admin.ts';
import { requireDigestRight } from './digest-right.ts';
import { digestNow } from './digest-now.ts';
import { digestSet } from './digest-set.ts';
import { digestStatus } from './digest-status.ts';

export const DIGEST_USAGE =
  '/digest on [HH:MM] [Area/City] | off [--forget] | now | status | backfill | set <lane|model|length|quiet|budget> <value> | who <admins|members> | zone <Area/City>';

/**
 * `/digest`: a channel's daily digest of what it decided, what is open and who owes what. Turning
 * it on starts capturing this channel's messages (and only this channel's) for the digest.
 */
export const digestCommand: Command = {
  name: 'digest',
  summary: 'A daily digest of this channel: decisions, action items, open questions, each linked to its message.',
  usage: DIGEST_USAGE,
  async run(inv, ctx) {
    const [verb = '', ...rest] = inv.text.trim().split(/\s+/).filter(Boolean);
    switch (verb.toLowerCase()) {
      case 'on':
        return turnOn(inv, ctx, rest);
      case 'off':
        return turnOff(inv, ctx, rest);
      case 'now':
        return digestNow(inv, ctx);
      case 'status':
      case '':
        return digestStatus(inv, ctx);
      case 'set':
        return digestSet(inv, ctx, rest);
      case 'who':
        return setWho(inv, ctx, rest);
      case 'backfill':
        return backfill(inv, ctx);
      case 'zone':
        return setZone(inv, ctx, rest);
      default:
        throw new UserError(`"${shown(verb)}" is not a /digest choice.\nUsage: ${DIGEST_USAGE}`, 'usage');
    }
  },
};

async function turnOn(inv: Invocation, ctx: HiveContext, args: string[]): Promise<Reply> {
  if (args.length > 2) throw new UserError(`Too many words after "on".\nUsage: ${DIGEST_USAGE}`, 'usage');
  await requireDigestRight(inv, ctx, "turn a channel's digest on");
  // A digest turned off keeps its schedule and options for this.
  const existing = await ctx.digests.channels.kept(inv.workspaceId, inv.channelId);
  const wasOn = existing !== undefined && existing.offAt === undefined;
  // A zone alone (`/digest on Europe/Paris`) keeps the time.
  const [time, zoneArg] = args.length === 1 && !/^\d/.test(args[0]!) ? [undefined, args[0]] : [args[0], args[1]];
  const zone = zoneArg ?? existing?.timezone ?? (await ctx.settings.get(inv.workspaceId)).digestTimezone ?? 'UTC';
  const when = parseDigestTime(time ?? existing?.time ?? '09:00', zone);
  const channel: DigestChannel = {
    platform: inv.platform,
    workspaceId: inv.workspaceId,
    channelId: inv.channelId,
    ...when,
    enabledAt: wasOn ? existing.enabledAt : ctx.now().getTime(),
    enabledBy: wasOn ? existing.enabledBy : inv.userId,
    options: existing?.options ?? {},
  };
  await ctx.digests.channels.put(channel);
  // Turning it back on keeps messages again: the channel is told again, as the first time.
  if (!wasOn) return consentNotice(inv, channel, ctx.digests.retentionHours);
  const status = await digestStatus(inv, ctx);
  return { text: `Digest schedule changed.\n${status.text}`, visibility: 'private' };
}

/**
 * Turning a digest on is said in the channel, for everyone whose messages are now kept: who did it
 * (the platform shows the command and its user above the reply), what is kept, for how long, and
 * how to stop it.
 */
function consentNotice(inv: Invocation, c: DigestChannel, hours: number): Reply {
  const text = [
    `This channel's daily digest is now on (every day at ${c.time} ${c.timezone}).`,
    `From now on Hive keeps each person's messages here (text, author, time, thread and link; never bots' messages, never other channels) for ${hours} hours, then deletes them. ` +
      `A digest sends them to this workspace's model vendors on its own keys.`,
    `To stop it: /digest off (it deletes what was kept). /digest status shows who turned it on and what is kept.`,
  ].join('\n');
  return { text, question: `/digest ${inv.text.trim()}`, visibility: 'channel' };
}

const KEPT = 'Its settings (schedule, lane, model, length, quiet days, budget) are kept for the next /digest on; /digest off --forget deletes them.';

/** `/digest off [--forget]`: nothing more is kept; the settings stay unless forgotten. */
async function turnOff(inv: Invocation, ctx: HiveContext, args: string[]): Promise<Reply> {
  const forget = args.length === 1 && args[0]!.toLowerCase() === '--forget';
  if (args.length > 0 && !forget) throw new UserError(`"${shown(args.join(' '))}" is not an option of off.\nUsage: /digest off [--forget]`, 'usage');
  await requireDigestRight(inv, ctx, "turn a channel's digest off");
  const { workspaceId: ws, channelId: ch } = inv;
  const wasOn = (await ctx.digests.channels.get(ws, ch)) !== undefined;
  const text = forget ? await forgetText(ctx, ws, ch, wasOn) : await offText(ctx, ws, ch);
  return { text, visibility: 'private' };
}

async function offText(ctx: HiveContext, ws: string, ch: string): Promise<string> {
  if (await ctx.digests.channels.turnOff(ws, ch, ctx.now().getTime()))
    return `Digest off. Hive no longer keeps this channel's messages, and deleted the ones it had.\n${KEPT}`;
  if (await ctx.digests.channels.kept(ws, ch)) return `The digest was already off in this channel; nothing is kept here.\n${KEPT}`;
  return 'The digest was not on in this channel; nothing is kept here.';
}

async function forgetText(ctx: HiveContext, ws: string, ch: string, wasOn: boolean): Promise<string> {
  if (!(await ctx.digests.channels.forget(ws, ch))) return 'The digest was not on in this channel; nothing is kept here, and no settings were kept.';
  const settings = 'Its settings are forgotten: a later /digest on starts from the defaults.';
  return wasOn
    ? `Digest off. Hive no longer keeps this channel's messages, and deleted the ones it had.\n${settings}`
    : `The digest was already off in this channel; nothing is kept here.\n${settings}`;
}

async function setWho(inv: Invocation, ctx: HiveContext, args: string[]): Promise<Reply> {
  const who = args[0]?.toLowerCase();
  if ((who !== 'admins' && who !== 'members') || args.length > 1)
    throw new UserError(`Choose admins or members.\nUsage: /digest who <admins|members>`, 'usage');
  await requireAdmin(inv, 'choose who may turn digests on');
  await ctx.settings.update(inv.workspaceId, (s) => {
    s.digestWho = who;
  });
  return {
    text:
      who === 'members' ? 'Any member of a channel may now turn its digest on, off or change it.' : 'Only admins may now turn digests on, off or change them.',
    visibility: 'private',
  };
}

/** `/digest backfill`: reads the channel's last day from the platform, at the pace it allows. */
async function backfill(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  await requireDigestRight(inv, ctx, "backfill a channel's digest");
  const c = await ctx.digests.channels.get(inv.workspaceId, inv.channelId);
  if (!c) throw new UserError('This channel has no digest: turn it on first with /digest on [HH:MM] [Area/City].', 'digest_off');
  const r = await ctx.digests.backfills.start(c);
  const text =
    r === 'unavailable'
      ? "This platform cannot read back a channel's history here; the digest covers messages from when it was turned on."
      : r === 'running'
        ? 'A backfill of this channel is already under way; /digest status shows how far it is.'
        : 'Backfilling the last 24 hours of this channel, a page at a time at the pace the platform allows (Slack lets apps outside its Marketplace read 15 messages a minute, so a busy day takes a while). It carries on after a restart; /digest status shows how far it is.';
  return { text, visibility: 'private' };
}

/** `/digest zone <Area/City>`: the zone `/digest on HH:MM` means in this workspace when none is given. */
async function setZone(inv: Invocation, ctx: HiveContext, args: string[]): Promise<Reply> {
  if (args.length !== 1) throw new UserError('Give one time zone as Area/City, e.g. Europe/Paris.\nUsage: /digest zone <Area/City>', 'usage');
  await requireAdmin(inv, "set the workspace's digest time zone");
  const { timezone } = parseDigestTime('09:00', args[0]!);
  await ctx.settings.update(inv.workspaceId, (s) => {
    s.digestTimezone = timezone;
  });
  return { text: `/digest on HH:MM now means ${timezone} time in this workspace (channels already on keep their own zone).`, visibility: 'private' };
}
