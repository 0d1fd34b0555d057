import type { Command, HiveContext } from './command.ts';
import { shown } from '../chat/args.ts';
import { UserError } from '../shared/errors.ts';
import { newErrorId } from '../shared/ids.ts';
import { type JobFacts, JOB_LINE, jobLineFields, type JobEnd, type JobOutcome, type OnRecorded } from '../jobs/job-facts.ts';
import type { Invocation, Reply } from '../chat/invocation.ts';
import { inWords, TYPED_CHAT_WORDS } from '../chat/chat-words.ts';
import { ACTION_KINDS, type ActionKind, type ActionOffer } from '../chat/answer-actions.ts';
import type { DispatchNote, Dispatcher, CommandCatalog, CommandTraits } from '../chat/dispatcher.ts';

/** A command's reply and how the command ended, for the job's log line. */
interface Ran {
  reply: Reply;
  outcome: Exclude<JobOutcome, 'undelivered'>;
  code?: string;
  errorId?: string;
}

/**
 * Runs each invocation's command and delivers its reply; every invocation, wherever it runs (one
 * process, or a worker taking it off the queue), ends in exactly one info line (`job done`).
 */
export function createDispatcher(commands: readonly Command[], ctx: HiveContext): Dispatcher {
  const byName = new Map(commands.map((c) => [c.name, c]));
  const inFlight = new Set<Promise<void>>();
  const handleOne = async (inv: Invocation, note: DispatchNote) => {
    const began = ctx.now().getTime();
    const facts: JobFacts[] = [];
    const ran = await runSafely(byName, inv, reportingContext(ctx, facts));
    ran.reply = inPlatformWords(ran.reply, inv);
    let delivered = true;
    try {
      await inv.respond(ran.reply);
    } catch (err) {
      delivered = false;
      ctx.log.error({ err, platform: inv.platform, workspaceId: inv.workspaceId }, 'could not deliver a reply');
    }
    const end: JobEnd = {
      workspaceId: inv.workspaceId,
      platform: inv.platform,
      command: inv.command,
      channelId: inv.channelId,
      ...(inv.jobId ? { jobId: inv.jobId } : {}),
      outcome: !delivered ? 'undelivered' : ran.outcome === 'refused' && facts.some((f) => f.status === 'error') ? 'failed' : ran.outcome,
      ...(ran.code ? { code: ran.code } : {}),
      ...(ran.errorId ? { errorId: ran.errorId } : {}),
      latencyMs: ctx.now().getTime() - began,
      ...(note.queuedMs !== undefined ? { queuedMs: note.queuedMs } : {}),
    };
    ctx.log.info(jobLineFields(end, facts), JOB_LINE);
  };
  return {
    handle(inv, note = {}) {
      const p = handleOne(inv, note).finally(() => inFlight.delete(p));
      inFlight.add(p);
      return p;
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

async function runSafely(byName: Map<string, Command>, inv: Invocation, ctx: HiveContext): Promise<Ran> {
  const command = byName.get(inv.command);
  if (!command) {
    const names = [...byName.keys()].map((n) => `/${n}`).join(', ');
    const reply: Reply = { text: `Unknown command ${shown(`/${inv.command}`)}. Available: ${names}.`, visibility: 'private', tone: 'error' };
    return { reply, outcome: 'refused', code: 'unknown_command' };
  }
  const log = ctx.log.child({ command: inv.command, platform: inv.platform, workspaceId: inv.workspaceId, channelId: inv.channelId, userId: inv.userId });
  try {
    return { reply: await command.run(inv, { ...ctx, log }), outcome: 'answered' };
  } catch (err) {
    if (err instanceof UserError) {
      // The user reads the refusal; operators rarely need it (and at a terminal it would show twice).
      log.debug({ code: err.code }, 'refused with a user error');
      const actions = offersOf(err);
      return { reply: { text: err.message, visibility: 'private', tone: 'error', ...(actions ? { actions } : {}) }, outcome: 'refused', code: err.code };
    }
    const errorId = newErrorId();
    log.error({ err, errorId }, 'command failed');
    const text = `Something went wrong on our side (error ${errorId}). An admin can find the details in the logs.`;
    return { reply: { text, visibility: 'private', tone: 'error', errorId }, outcome: 'error', errorId };
  }
}

/** The actions a refusal offers, as the seam's offers (only kinds the seam knows). */
function offersOf(err: UserError): ActionOffer[] | undefined {
  const offers = err.offers?.flatMap((o) => (isActionKind(o.kind) ? [{ kind: o.kind, ref: o.ref }] : []));
  return offers && offers.length > 0 ? offers : undefined;
}

/** A reply with every term in the words of the platform it is read on (Hive's own text: refusals, footers, sections). */
function inPlatformWords(reply: Reply, inv: Invocation): Reply {
  const say = (text: string) => inWords(text, inv.words ?? TYPED_CHAT_WORDS, inv.workspaceId);
  return {
    ...reply,
    text: say(reply.text),
    ...(reply.footer !== undefined ? { footer: say(reply.footer) } : {}),
    ...(reply.sections ? { sections: reply.sections.map((s) => ({ ...s, text: say(s.text) })) } : {}),
  };
}

/**
 * The context one invocation's command runs with: every model job it starts (ask, consensus,
 * digest) tells `facts` what its evidence record holds, so the dispatcher can log one line per job
 * without any command or platform doing so.
 */
export function reportingContext(ctx: HiveContext, facts: JobFacts[]): HiveContext {
  const told =
    (own: OnRecorded | undefined): OnRecorded =>
    (f) => {
      facts.push(f);
      own?.(f);
    };
  return {
    ...ctx,
    runner: { ask: (input) => ctx.runner.ask({ ...input, onRecorded: told(input.onRecorded) }) },
    consensus: { run: (input) => ctx.consensus.run({ ...input, onRecorded: told(input.onRecorded) }) },
    digests: { ...ctx.digests, runner: { run: (input) => ctx.digests.runner.run({ ...input, onRecorded: told(input.onRecorded) }) } },
  };
}

/** The catalog of the commands the dispatcher runs. */
export function createCommandCatalog(commands: readonly Command[]): CommandCatalog {
  const byName = new Map<string, CommandTraits>(
    commands.map((c) => [
      c.name,
      { name: c.name, ...(c.quick ? { quick: true } : {}), ...(c.conversational ? { conversational: true } : {}), ...(c.action ? { action: true } : {}) },
    ]),
  );
  return { find: (name) => byName.get(name) };
}

function isActionKind(kind: string): kind is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(kind);
}
