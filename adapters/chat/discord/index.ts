import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { ChatAdapter, MessageRef, MessageTarget } from '../../../src/chat/chat-adapter.ts';
import type { ChatHost } from '../../../src/chat/chat-host.ts';
import { createDeliveryClaims } from '../../../src/chat/delivery-claims.ts';
import type { Reply } from '../../../src/chat/invocation.ts';
import { cdnOf, type DiscordConfig } from './config.ts';
import { createDiscordFileReader } from './files.ts';
import { runSlash } from './slash.ts';
import { createDiscordMembership } from './membership.ts';
import { HISTORY_PACE_MS, NO_MENTIONS } from './conventions.ts';
import { runThreadMessage } from './thread.ts';
import { discordThreadHistory } from './history.ts';
import { createThreadContext } from '../../../src/chat/thread-context.ts';
import { editReply, postReply } from './send.ts';
import { KEY_FORM_ID, submitKeyForm } from './key-form.ts';
import { suggestModels } from './autocomplete.ts';
import { createIdentifyBudget } from './identify-budget.ts';
import { readHistoryPage } from './history-page.ts';
import { feedDigestCapture } from './capture.ts';
import { guardedStrategy } from './guarded-strategy.ts';
import { createGatewayGuard } from './gateway-guard.ts';
import { definitionsOf } from './option-check.ts';
import { discordCommands } from './commands.ts';
import { answerRefusal } from './refusal.ts';
import { contained } from './contain.ts';
import { runPress } from './press.ts';
import { discordTranscripts } from './thread-files.ts';
import { ACTION_KINDS } from '../../../src/chat/answer-actions.ts';

/** How long a delivery is remembered: past any replay (interaction tokens live 15 minutes). */
const CLAIM_TTL_MS = 20 * 60_000;

/** How long start-up waits for the gateway's READY before it says what to check. */
const LOGIN_DEADLINE_MS = 30_000;

/**
 * Discord over discord.js: the gateway for slash commands (and, with the MessageContent intent,
 * thread messages), REST at `DISCORD_API_URL` for everything sent. The REST queue honours 429s.
 */
export function createDiscordAdapter(o: {
  config: DiscordConfig;
  host: ChatHost;
  now?: () => number;
  /** Spacing of a streaming answer's edits (tests shorten it). */ streamEditMs?: number;
  /** How the login pacing waits (tests pass a fake). */ identifySleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}): ChatAdapter {
  const { config, host } = o;
  const login = createLoginDeadline();
  let accepting = true;
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    const done = p.catch((err: unknown) => host.log.error({ err }, 'a Discord interaction failed')).finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  // A gateway resume can replay events, and several replicas may share one bot: each interaction
  // and message is claimed once in the store before any work. The claim waits at most a second
  // (Discord wants the deferral within 3 s): a store away lets the work through, and a replica that
  // defers second is refused by Discord itself.
  const claims = createDeliveryClaims(host.store.atomic, 'discord', {
    onUnclaimed: (claim, err) => host.log.warn({ err, claim }, 'duplicate check unavailable; delivery handled unchecked'),
  });
  const once = (kind: string, id: string, work: () => Promise<void>) =>
    track(
      claims.claim(kind, id, CLAIM_TTL_MS).then((first) => {
        if (first) return work();
      }),
    );
  // Every dispatch is checked before discord.js builds it, and what it throws is caught: no payload stops the process.
  const guard = createGatewayGuard({
    log: host.log,
    defs: definitionsOf(discordCommands()),
    refuse: (r) => once('interaction', r.id, () => answerRefusal(client.rest, r)),
  });
  const membership = createDiscordMembership({ log: host.log, ...(o.now ? { now: o.now } : {}) });
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    // Edits and deletions of messages discord.js has not cached (sent before a start) arrive as partials
    // instead of being dropped; only the digest capture listens to them.
    partials: [Partials.Message],
    rest: { api: config.apiUrl },
    allowedMentions: NO_MENTIONS,
    ws: {
      buildStrategy: guardedStrategy(guard),
      buildIdentifyThrottler: (manager) =>
        createIdentifyBudget({
          kv: host.store.ns<number[]>('gateway'),
          botId: config.applicationId,
          log: host.log,
          ...(o.now ? { now: o.now } : {}),
          ...(o.identifySleep ? { sleep: o.identifySleep } : {}),
          sessionStarts: async () => {
            const { session_start_limit: l } = await manager.fetchGatewayInformation();
            return { remaining: l.remaining, total: l.total, resetAfterMs: l.reset_after };
          },
          onWait: (ms) => login.extend(ms),
        }),
    },
  });
  // A thread's context is read back from Discord itself; the core decides what of it a question carries.
  const threadHistory = discordThreadHistory(client);
  // The core transcripts keep only what Discord's history cannot give: the files a thread was opened with.
  const transcripts = discordTranscripts(host);
  const threads = createThreadContext({ platform: { threadHistory }, transcripts });
  // Attachments are read from Discord's CDN only, whatever a message's text links to.
  const readAttachment = createDiscordFileReader(cdnOf(config));
  client.on(
    Events.InteractionCreate,
    contained(host.log, 'a Discord interaction listener', (i) => {
      if (!accepting) return;
      const receivedAt = (o.now ?? Date.now)();
      const slash = { membership, threads, transcripts, readAttachment, now: o.now, streamEditMs: o.streamEditMs, receivedAt };
      if (i.isChatInputCommand()) once('interaction', i.id, () => runSlash(host, i, slash));
      else if (i.isButton()) once('interaction', i.id, () => runPress(host, i, membership, o.now, o.streamEditMs, readAttachment));
      else if (i.isModalSubmit() && i.customId === KEY_FORM_ID) once('interaction', i.id, () => submitKeyForm(host, i));
      else if (i.isAutocomplete() && i.options.getFocused(true).name === 'model') track(suggestModels(host, i));
    }),
  );
  client.on(
    Events.MessageCreate,
    contained(host.log, 'a Discord message listener', (m) => {
      if (accepting && !m.author.bot) once('message', m.id, () => runThreadMessage(host, client, m, { threads, readAttachment }));
    }),
  );
  // Whether or not Hive answers it, every person's message goes to the digest capture too.
  feedDigestCapture(client, host, { accepting: () => accepting, track });
  client.on(Events.Error, (err) => host.log.error({ err }, 'Discord client error'));
  return {
    name: 'discord',
    actions: ACTION_KINDS,
    ready: () => accepting && client.isReady(),
    history: (target, sinceMs, cursor) => readHistoryPage(client, target, sinceMs, cursor),
    historyPaceMs: HISTORY_PACE_MS,
    threadHistory,
    async start() {
      await loginWithin(client, config.token, config.apiUrl, login);
      host.log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
    },
    async stop() {
      accepting = false;
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
    post: (target: MessageTarget, reply: Reply): Promise<MessageRef> => postReply(client.rest, target, reply),
    edit: (ref: MessageRef, reply: Reply) => editReply(client.rest, ref, reply),
  };
}

/** The wait for READY, which a paced login (see identify-budget.ts) pushes back by its wait. */
interface LoginDeadline {
  extend(ms: number): void;
  run(): { expired: Promise<never>; clear(): void };
}

function createLoginDeadline(): LoginDeadline {
  let reset: ((ms: number) => void) | undefined;
  return {
    extend: (ms) => reset?.(ms),
    run() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<never>((_, reject) => {
        const fail = () => reject(new Error(`no READY from the Discord gateway within ${LOGIN_DEADLINE_MS / 1000} s`));
        reset = (ms) => {
          clearTimeout(timer);
          timer = setTimeout(fail, ms + LOGIN_DEADLINE_MS);
        };
        reset(0);
      });
      return {
        expired,
        clear() {
          reset = undefined;
          clearTimeout(timer);
        },
      };
    },
  };
}

/** Logs in and waits for READY; a failure names the API URL (never the token) and what to check. */
async function loginWithin(client: Client, token: string, apiUrl: string, login: LoginDeadline): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  const deadline = login.run();
  try {
    await Promise.race([client.login(token).then(() => ready), deadline.expired]);
  } catch (e) {
    await client.destroy().catch(() => undefined);
    const why = e instanceof Error ? e.message : String(e);
    // No `cause`: discord.js errors may quote the request, and with it the token.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(
      `Discord login failed via ${apiUrl}: ${why.split(token).join('••••')}. Check DISCORD_TOKEN (Bot token from the developer portal) and DISCORD_API_URL.`,
    );
  } finally {
    deadline.clear();
  }
}
