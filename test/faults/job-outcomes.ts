import { textOf as discordText } from '../discord/harness.ts';
import { streamedMarkdown } from '../fakes/slack-seen.ts';
import type { FakeSlackCall } from '../fakes/slack-api.ts';
import type { DiscordRequest } from '../fakes/discord-api.ts';

/**
 * What became of each job a fault test sent, read off what the fake platforms received: answered
 * (a message with its footer) or told why not (an error with its id, or a refusal), and how often.
 */
export interface JobOutcome {
  answers: number;
  told: number;
}

const textOf = (body: unknown) => JSON.stringify(body ?? {});

/** A message that tells its reader the job failed (an error id) rather than answering it. */
const TOLD = /error [0-9A-Z]{10,}|Something went wrong|could not take this on|could not answer/i;

/**
 * Slack outcomes by question tag (`q-…` in the question, and `r-<tag>` as its response_url): final
 * answers are posts or edits that carry the footer; a telling is a private reply, an ephemeral or
 * an edit, naming an error.
 */
export function slackOutcomes(calls: readonly FakeSlackCall[], tags: readonly string[]): Map<string, JobOutcome> {
  const out = new Map(tags.map((t) => [t, { answers: 0, told: 0 }]));
  const answeredTs = new Map<string, Set<string>>();
  const streams = new Map<string, string>();
  for (const c of calls) {
    // A streamed answer's text is what its start and appends carried; its footer comes at its stop.
    if (c.method === 'chat.startStream' || c.method === 'chat.appendStream') {
      const ts = String(c.method === 'chat.startStream' ? c.result?.ts : c.body.ts);
      streams.set(ts, (streams.get(ts) ?? '') + streamedMarkdown(c));
      continue;
    }
    const t = c.method === 'chat.stopStream' ? `${streams.get(String(c.body.ts)) ?? ''}${streamedMarkdown(c)} ${textOf(c.body)}` : textOf(c.body);
    // A private reply goes to the command's response_url, named after the question (`r-<tag>`).
    const tag = /\/response\/r-(q-[\w]+)/.exec(c.path)?.[1] ?? /q-[\w]+/.exec(t)?.[0];
    const o = tag ? out.get(tag) : undefined;
    if (!o || !tag) continue;
    const final = ['chat.postMessage', 'chat.update', 'chat.stopStream'].includes(c.method) && t.includes('evidence ') && /Answer for q-/.test(t);
    if (final) {
      // One message, however often edited (a resumed job finishing the post its first run made), is one answer.
      const ts = String(c.method === 'chat.postMessage' ? (c.result?.ts ?? `post:${calls.indexOf(c)}`) : c.body.ts);
      const seen = answeredTs.get(tag) ?? new Set();
      seen.add(ts);
      answeredTs.set(tag, seen);
    } else if (TOLD.test(t) && c.method !== 'chat.postMessage') o.told++;
  }
  for (const [tag, seen] of answeredTs) out.get(tag)!.answers = seen.size;
  return out;
}

/**
 * Discord outcomes by question tag: final answers (the interaction's reply edited to carry the
 * footer, however often it was edited, or a post carrying it) and tellings.
 */
export function discordOutcomes(requests: readonly DiscordRequest[], tokens: ReadonlyMap<string, string>): Map<string, JobOutcome> {
  const out = new Map([...tokens.keys()].map((t) => [t, { answers: 0, told: 0 }]));
  const byToken = new Map([...tokens].map(([tag, token]) => [token, tag]));
  const answered = new Map<string, Set<string>>();
  requests.forEach((r, i) => {
    const original = /^\/webhooks\/\d+\/([^/]+)\/messages\/@original$/.exec(r.path);
    const webhook = original ?? /^\/webhooks\/\d+\/([^/?]+)$/.exec(r.path);
    // An answer's text is its content, or (Components V2) its text displays.
    const content = discordText(r.body);
    const tag = webhook ? byToken.get(webhook[1]!) : /q-[\w]+/.exec(content)?.[0];
    const o = tag ? out.get(tag) : undefined;
    if (!o || !tag || r.method === 'GET') return;
    if (content.includes('evidence ') && content.includes('Answer for q-')) {
      const seen = answered.get(tag) ?? new Set<string>();
      seen.add(original ? 'original' : `post:${i}`);
      answered.set(tag, seen);
    } else if (TOLD.test(content)) o.told++;
  });
  for (const [tag, seen] of answered) out.get(tag)!.answers = seen.size;
  return out;
}

/** The jobs whose outcome is not exactly one answer or one telling, for an assertion's message. */
export function unsettled(outcomes: ReadonlyMap<string, JobOutcome>): string[] {
  return [...outcomes].filter(([, o]) => o.answers + o.told !== 1).map(([tag, o]) => `${tag}: ${o.answers} answers, ${o.told} told`);
}

/** Whether every job has at least one outcome (answered or told), to know when to stop waiting. */
export function allSettled(outcomes: ReadonlyMap<string, JobOutcome>): boolean {
  return [...outcomes.values()].every((o) => o.answers + o.told >= 1);
}

/** Every call a fake platform received about one job, in order, for a failure's report. */
export function slackTrail(calls: readonly FakeSlackCall[], tag: string): string[] {
  return calls
    .filter((c) => textOf(c.body).includes(tag) || c.path.endsWith(`/r-${tag}`))
    .map((c) => `${c.method} ts=${String(c.body.ts ?? '')} ${textOf(c.body).slice(0, 240)}`);
}
