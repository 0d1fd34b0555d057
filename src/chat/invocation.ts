import type { ChatMessage } from '../shared/provider-spec.ts';
import type { AttachmentReader, AttachmentRef } from '../shared/attachment.ts';
import type { ReplyLink } from './reply-links.ts';
import type { QueuedJob } from './queued-job.ts';
import type { ChatWords } from './chat-words.ts';
import type { ActionKind, ActionOffer } from './answer-actions.ts';

/** A platform-neutral request from a chat user; adapters build it, commands consume it. */
export interface Invocation {
  platform: string;
  workspaceId: string;
  channelId: string;
  userId: string;
  threadId?: string;
  /** The verb without its slash: `ask`, `consensus`, `hive`. */
  command: string;
  text: string;
  /** The queued job a worker runs this for: calls left in flight by a run that stopped are booked by the job's next run. */
  jobId?: string;
  /** Why this runs when no one typed it: an answer action pressed (`re-run deeper`), named in its footer instead of a flag. */
  because?: string;
  /** Earlier turns of the thread, oldest first, when the invocation continues a thread. */
  context?: ChatMessage[];
  /** Files shared with the request, and those of earlier turns of its thread (marked `earlier`). */
  attachments?: AttachmentRef[];
  /** With `attachments`: reads a file's bytes from the platform's own host with its own token. */
  readAttachment?: AttachmentReader;
  /** Whether the user may administer the workspace (keys, budgets, lanes); checked by the platform. */
  isAdmin(): Promise<boolean>;
  /**
   * Optional: whether the user can read a conversation of this workspace (a channel, or a thread
   * of it), by the platform's own membership, so records of a private channel, thread or DM stay
   * with its members. Absent: only the channel the request came from counts.
   */
  canRead?(where: { channelId: string; threadId?: string }): Promise<boolean>;
  /**
   * Optional: the ids of the people this workspace knows by a name typed as `@name`, for platforms
   * that send a typed name as plain text (Slack) rather than as a mention carrying the id.
   */
  usersNamed?(name: string): Promise<string[]>;
  /**
   * Optional: whether a word has the shape of this platform's user ids (Slack's `U…`, Discord's
   * snowflakes), so a bare name (`bob`) is refused rather than kept as an id no one has. Absent:
   * any word may be a user id (the terminal's users are the names they run under).
   */
  isUserId?(text: string): boolean;
  /** Delivers the reply; survives the platform's ack deadline. */
  respond(reply: Reply): Promise<void>;
  /** Optional: shows that a long job is under way (placeholder, status, typing). */
  progress?(note: Progress): Promise<void>;
  /** Optional: receives the answer's text as it streams, for platforms that show it live. */
  onText?(delta: string): void;
  /** Optional: the platform's words for admins, options and adding a key; absent: typed flags and `/hive keys`. */
  words?: ChatWords;
  /**
   * Optional: the answer actions this platform shows (buttons, typed verbs), so the core offers only
   * those; absent: none, and messages name the typed flags instead (`--yes`).
   */
  actions?: readonly ActionKind[];
  /** Optional: opens the platform's private form for adding a key (a modal); never a message. */
  openKeyForm?(): Promise<void>;
  /**
   * Optional: how a worker in another process can answer this (scale-out): an id derived from the
   * platform event and the platform's reply address, as its codec encodes it. Absent where only
   * this process can answer (the terminal).
   */
  queue?(): Pick<QueuedJob, 'id' | 'address' | 'addressFormat'>;
}

export interface Progress {
  text: string;
  /**
   * `plan`: what a job is doing (lane, models), for platforms that show a placeholder anyway;
   * `wait`: a delay the user should hear about (a full rate limit), shown by every platform.
   */
  kind?: 'plan' | 'wait' | 'task';
  /** Actions on the job while it runs (cancel), for platforms that show them on their placeholder or stream. */
  actions?: ActionOffer[];
  /** With kind `task`: one step of the job (a consensus member, a failover) and how it stands. */
  task?: ProgressTask;
}

/** One step of a job as platforms with a plan view show it (Slack's `task_update` chunks). */
export interface ProgressTask {
  /** Stable for the step's lifetime: later notes with the same id update it. */
  id: string;
  title: string;
  status: 'pending' | 'in_progress' | 'complete' | 'error';
  /** What the step found or why it failed, short. */
  details?: string;
}

/** A reply in neutral form; each adapter renders it in its platform's format and limits. */
export interface Reply {
  /** Markdown body. */
  text: string;
  /** `private` goes to the requester only (ephemeral); `channel` is posted for everyone. */
  visibility: 'channel' | 'private';
  /** The question being answered, echoed with the asker. */
  question?: string;
  footer?: string;
  tone?: 'normal' | 'error';
  /** Sections shown after the body, e.g. consensus members or disagreements. */
  sections?: ReplySection[];
  /** Links Hive adds itself (a digest's sources), placed in `text` and `sections` by `linkMarker`. */
  links?: ReplyLink[];
  errorId?: string;
  /** Actions offered on this reply (re-run, consensus, feedback, confirm), for the platform to render those it can. */
  actions?: ActionOffer[];
  /** A picture of the text (a chart), for platforms that show images; sent after the text, whose delivery never waits on it. */
  image?: ReplyImage;
}

/** An image with a reply, drawn only when a platform shows it: one that cannot never pays for it. */
export interface ReplyImage {
  /** The file's name as the platform shows it (`….png`). */
  name: string;
  /** What the image shows, for screen readers and clients that do not load it. */
  alt: string;
  png(): Promise<Uint8Array>;
}

export interface ReplySection {
  title: string;
  text: string;
}
