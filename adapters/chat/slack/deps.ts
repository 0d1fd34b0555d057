import type { Clock } from '../../../src/shared/clock.ts';
import type { Logger } from '../../../src/shared/log.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import type { AdminCheck } from './admin.ts';
import type { MembershipCheck } from './membership.ts';
import type { UserDirectory } from './user-directory.ts';
import { isTeamId } from './body-shape.ts';
import type { Transcripts } from '../../../src/chat/transcripts.ts';
import type { StreamSupport } from './stream-support.ts';
import type { SlackFiles } from './file-access.ts';

/** Timings that tests and the benchmark shorten; the defaults suit Slack's limits. */
export interface SlackTiming {
  /** A job still running after this long gets a placeholder message. */
  placeholderDelayMs: number;
  /** Minimum spacing of writes to one message (`chat.update` is Tier 3: about one a second). */
  updateIntervalMs: number;
  /** Key verification slower than this answers the modal with "verifying" (Slack waits 3 s at most). */
  viewDeadlineMs: number;
  /** Minimum spacing of writes to one native stream (`chat.appendStream` is Tier 4: batch deltas). */
  streamIntervalMs: number;
}

/** One placeholder write a second at most, and half a second of margin on the modal's 3 s. */
export const DEFAULT_TIMING: SlackTiming = { placeholderDelayMs: 1000, updateIntervalMs: 1000, viewDeadlineMs: 2500, streamIntervalMs: 600 };

/** What the Slack listeners share; built once per adapter. */
export interface SlackDeps {
  host: ChatHost;
  log: Logger;
  admin: AdminCheck;
  /** Who is in which conversation, for records that must stay with its members. */
  membership: MembershipCheck;
  /** People by the name typed after `@` (Slack sends it as plain text). */
  directory: UserDirectory;
  transcripts: Transcripts;
  timing: SlackTiming;
  clock: Clock;
  /** Answer messages from other bots in Hive threads (off by default: bot-to-bot loops burn money). */
  answerBots: boolean;
  /** Which workspaces take native streams (and assistant statuses); a refusal is remembered and logged once. */
  streams: StreamSupport;
  /** Files shared with requests: read with each workspace's token, found for slash commands. */
  files: SlackFiles;
}

/** Hive's workspace id for a Slack team; a missing or malformed team id throws rather than naming a workspace. */
export function workspaceIdFor(teamId: string | undefined): string {
  if (!isTeamId(teamId)) throw new Error('Slack request without a valid team id');
  return `slack:${teamId}`;
}

/** The Slack team id of a Hive workspace id; anything but `slack:<team_id>` throws. */
export function teamIdOfWorkspace(workspaceId: string): string {
  const teamId = workspaceId.startsWith('slack:') ? workspaceId.slice('slack:'.length) : undefined;
  if (!isTeamId(teamId)) throw new Error('Not a Slack workspace id');
  return teamId;
}
