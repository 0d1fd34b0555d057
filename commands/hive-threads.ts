import { shown } from '../src/chat/args.ts';
import type { HiveContext } from '../src/command/command.ts';
import type { Invocation, Reply } from '../src/chat/invocation.ts';
import { UserError } from '../src/shared/errors.ts';
import { threadRepliesFor, type ThreadReplies } from '../src/settings/settings.ts';
import { noMoreArgs, requireAdmin } from './admin.ts';
import type { HiveVerb } from './hive-verb.ts';

const USAGE = '/hive threads [all | mentions | default] [here]';

const WORDS: Record<ThreadReplies, string> = {
  all: 'every message in a thread Hive answered in is a question for it',
  mentions: 'in threads, Hive answers only messages that @mention it',
};

/**
 * `/hive threads`: whether people must @mention Hive in its threads, for the workspace or (`here`)
 * this channel; for a server where Hive shares threads with other bots or with chatter.
 */
export const threadsVerb: HiveVerb = {
  name: 'threads',
  usage: USAGE,
  summary: 'Answer every message in Hive threads, or only mentions (workspace or this channel).',
  async run(inv, ctx, args) {
    const [choice = '', ...rest] = args.split(/\s+/).filter(Boolean);
    if (choice === '') return show(inv, ctx);
    await requireAdmin(inv, 'change how threads are answered');
    const here = rest[0]?.toLowerCase() === 'here';
    noMoreArgs(rest.slice(here ? 1 : 0), USAGE);
    const value = parseChoice(choice, here);
    await ctx.settings.update(inv.workspaceId, (s) => {
      if (!here) s.threadReplies = value;
      else {
        const m = { ...(s.channelThreadReplies ?? {}) };
        if (value === undefined) delete m[inv.channelId];
        else m[inv.channelId] = value;
        s.channelThreadReplies = m;
      }
    });
    const shownNow = await show(inv, ctx);
    return { text: `${here ? 'This channel' : 'Workspace'}: ${value ?? (here ? 'as the workspace' : 'all')}.\n${shownNow.text}`, visibility: 'private' };
  },
};

function parseChoice(word: string, here: boolean): ThreadReplies | undefined {
  const w = word.toLowerCase();
  if (w === 'all' || w === 'mentions') return w;
  if (w === 'default') return undefined;
  throw new UserError(
    `"${shown(word)}" is not a choice: all, mentions${here ? ', or default (follow the workspace)' : ', or default'}.\nUsage: ${USAGE}`,
    'usage',
  );
}

async function show(inv: Invocation, ctx: HiveContext): Promise<Reply> {
  const s = await ctx.settings.get(inv.workspaceId);
  const own = s.channelThreadReplies?.[inv.channelId];
  const policy = threadRepliesFor(s, inv.channelId);
  return { text: `Threads in this channel: ${WORDS[policy]}${own ? ' (set for this channel)' : ''}.\nUsage: ${USAGE}`, visibility: 'private' };
}
