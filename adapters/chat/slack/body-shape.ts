import { isRecord } from './body-parse.ts';

/** What a Slack request is, in the order Bolt itself tells them apart. */
export type SlackBodyKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view';

/** A body fit to hand to Bolt, with its workspace's team id, or the short reason it is not. */
export type BodyShape = { ok: true; kind: SlackBodyKind; teamId: string } | { ok: false; reason: string };

type Check = (b: Record<string, unknown>) => string | undefined;

/** Slack team ids (`T…`, or `E…` for an Enterprise Grid org); nothing else becomes a workspace id. */
const TEAM_ID = /^[TE][A-Z0-9]{1,31}$/;

/** A string Slack could have sent as a team id. */
export function isTeamId(v: unknown): v is string {
  return typeof v === 'string' && TEAM_ID.test(v);
}

/**
 * Checks a parsed body has the shape of a command, event or interaction, and every field Bolt and
 * Hive's listeners read (so a malformed but signed body is a 400, not a crash), and has a team id.
 */
export function checkSlackBody(body: Record<string, unknown>): BodyShape {
  const kind = kindOf(body);
  if (!kind) return { ok: false, reason: 'unknown request type' };
  const bad = CHECKS[kind](body) ?? checkCommon(body);
  if (bad) return { ok: false, reason: bad };
  const teamId = teamIdOf(body, kind);
  if (!isTeamId(teamId)) return { ok: false, reason: 'no team id' };
  return { ok: true, kind, teamId };
}

/** Bolt's order (App.getTypeAndConversation): event, command, options, action, shortcut, view. */
export function kindOf(b: Record<string, unknown>): SlackBodyKind | undefined {
  if (b.event !== undefined) return 'event';
  if (b.command !== undefined) return 'command';
  if (b.name !== undefined || b.type === 'block_suggestion') return 'options';
  if (b.actions !== undefined || b.type === 'dialog_submission') return 'action';
  if (b.type === 'shortcut' || b.type === 'message_action') return 'shortcut';
  if (b.type === 'view_submission' || b.type === 'view_closed') return 'view';
  return undefined;
}

/** The team id the way Bolt derives it for its context (App.buildSource). */
export function teamIdOf(b: Record<string, unknown>, kind: SlackBodyKind): unknown {
  if (kind === 'event') {
    const first = Array.isArray(b.authorizations) ? (b.authorizations[0] as unknown) : undefined;
    return isRecord(first) && first.team_id !== null && first.team_id !== undefined ? first.team_id : b.team_id;
  }
  if (kind === 'command') return b.team_id;
  if (kind === 'view' && isRecord(b.view) && b.view.app_installed_team_id) return b.view.app_installed_team_id;
  if (isRecord(b.team)) return b.team.id;
  return isRecord(b.user) ? b.user.team_id : undefined;
}

const optional = (v: unknown, test: (x: unknown) => boolean) => v === undefined || test(v);
const isString = (v: unknown) => typeof v === 'string';
const recordOrNull = (v: unknown) => v === null || isRecord(v);
const isStringList = (v: unknown) => Array.isArray(v) && v.every(isString);

/** Slack's user, channel and conversation ids (`U…`, `W…`, `C…`, `G…`, `D…`): what replies, budgets and admin checks go by. */
const SLACK_ID = /^[A-Z0-9]{1,40}$/;
const isSlackId = (v: unknown) => typeof v === 'string' && SLACK_ID.test(v);

/** A message's timestamp (`1712345678.123456`), its id: threads and transcripts are keyed by it. */
const TS = /^\d{1,12}\.\d{1,6}$/;
const isTs = (v: unknown) => typeof v === 'string' && TS.test(v);

const COMMAND_FIELDS = ['command', 'channel_id', 'user_id', 'text', 'trigger_id', 'response_url'];

const checkCommand: Check = (b) => {
  const missing = COMMAND_FIELDS.find((f) => typeof b[f] !== 'string');
  if (missing) return `command without ${missing}`;
  return isSlackId(b.channel_id) && isSlackId(b.user_id) ? undefined : 'command with a malformed channel or user id';
};

const checkEvent: Check = (b) => {
  if (b.type !== 'event_callback' || typeof b.event_id !== 'string') return 'not an event callback';
  if (!optional(b.authorizations, (a) => Array.isArray(a) && a.every(isRecord))) return 'bad authorizations';
  const e = b.event;
  if (!isRecord(e) || typeof e.type !== 'string') return 'bad event';
  if (!optional(e.channel, (c) => isString(c) || isRecord(c)) || !optional(e.user, (u) => isString(u) || isRecord(u))) return 'bad event';
  if (!optional(e.item, isRecord) || !optional(e.subteam, isRecord)) return 'bad event';
  if (e.type === 'message' || e.type === 'app_mention') return checkMessage(e);
  // Which tokens were revoked decides whether the workspace is forgotten (its keys deleted): lists of ids only.
  if (e.type === 'tokens_revoked' && !(isRecord(e.tokens) && optional(e.tokens.bot, isStringList) && optional(e.tokens.oauth, isStringList)))
    return 'bad event';
  return undefined;
};

/** The fields Hive's thread listeners read from a message or mention. */
function checkMessage(e: Record<string, unknown>): string | undefined {
  if (!isSlackId(e.channel) || !isTs(e.ts) || !optional(e.thread_ts, isTs) || !optional(e.user, isSlackId)) return 'bad message event';
  const strings = ['text', 'subtype', 'bot_id', 'channel_type', 'team'].every((f) => optional(e[f], isString));
  return strings ? undefined : 'bad message event';
}

const checkInteraction: Check = (b) => {
  if (!isRecord(b.user) || !isSlackId(b.user.id)) return 'no user';
  if (!optional(b.team, recordOrNull) || !optional(b.enterprise, recordOrNull)) return 'bad team';
  if (!optional(b.response_urls, (r) => Array.isArray(r) && r.every(isRecord))) return 'bad response_urls';
  if (!optional(b.trigger_id, isString) || !optional(b.response_url, isString)) return 'bad interaction';
  return undefined;
};

const checkAction: Check = (b) => (b.actions === undefined || (Array.isArray(b.actions) && b.actions.every(isRecord)) ? checkInteraction(b) : 'bad actions');

const checkView: Check = (b) => {
  const v = b.view;
  if (!isRecord(v) || typeof v.id !== 'string' || !optional(v.callback_id, isString) || !optional(v.private_metadata, isString)) return 'bad view';
  if (b.type === 'view_submission' && !(isRecord(v.state) && isRecord(v.state.values))) return 'bad view state';
  return checkInteraction(b);
};

/** Fields Bolt reads from every body (function context). */
function checkCommon(b: Record<string, unknown>): string | undefined {
  return optional(b.function_data, isRecord) ? undefined : 'bad function data';
}

const CHECKS: Record<SlackBodyKind, Check> = {
  event: checkEvent,
  command: checkCommand,
  options: checkInteraction,
  action: checkAction,
  shortcut: checkInteraction,
  view: checkView,
};
