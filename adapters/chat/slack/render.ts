import type { types } from '@slack/bolt';
import type { Reply } from '../../../src/chat/invocation.ts';
import { escapeMrkdwn, safeText, toMrkdwn } from './mrkdwn.ts';
import { renderLinks, type ReplyLink } from '../../../src/chat/reply-links.ts';
import { splitEvidenceLink } from '../../../src/shared/footer-link.ts';
import { renderMentions, type Mention } from '../../../src/shared/platform-terms.ts';
import { groupBlocks, SLACK_LIMITS, splitMrkdwn, truncate } from './split.ts';
import { actionBlocks } from './action-blocks.ts';

/** One Slack message as sent to `chat.postMessage`/`chat.update`/`response_url`. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export interface RenderOptions {
  /** Slack user id of the asker, shown as "who asked" above the answer. */
  askerId?: string;
  /** Echo the question above the answer (slash commands; thread replies sit under the question already). */
  echoQuestion?: boolean;
}

/**
 * Renders a neutral reply as Slack messages within Slack's limits: the first message carries who
 * asked and the question, continuations follow (in the thread), and the last carries the footer.
 */
export function renderReply(reply: Reply, o: RenderOptions = {}): SlackMessage[] {
  const body: types.KnownBlock[] = [...sections(bodyText(reply)), ...extraSections(reply)];
  const head = headerBlock(reply, o);
  const footer = reply.footer ? contextBlock(footerMrkdwn(reply.footer)) : undefined;
  const all = [...(head ? [head] : []), ...body, ...(footer ? [footer] : [])];
  const groups = groupBlocks(all, blockChars);
  const actions = actionBlocks(reply.actions);
  return groups.map((blocks, i) => {
    const withPart = i > 0 ? [contextBlock(`_continued (${i + 1}/${groups.length})_`), ...blocks] : blocks;
    const last = i === groups.length - 1 ? actions : [];
    const room = SLACK_LIMITS.blocks - last.length;
    const fitted = [...(withPart.length > room ? withPart.slice(0, room) : withPart), ...last];
    return { text: fallbackText(fitted), blocks: fitted };
  });
}

/**
 * What follows a streamed answer's text, as blocks for `chat.stopStream`: its sections, the footer
 * and the offered actions, within Slack's 50 blocks.
 */
export function replyTail(reply: Reply): types.KnownBlock[] {
  const footer = reply.footer ? [contextBlock(footerMrkdwn(reply.footer))] : [];
  const actions = actionBlocks(reply.actions);
  const extra = extraSections(reply).slice(0, SLACK_LIMITS.blocks - footer.length - actions.length);
  return [...extra, ...footer, ...actions];
}

/** The top-level message a slash command's streamed answer threads under: who asked, and the question. */
export function questionMessage(question: string | undefined, o: RenderOptions): SlackMessage {
  const head = headerBlock({ text: '', visibility: 'channel', ...(question ? { question } : {}) }, { ...o, echoQuestion: true });
  const blocks = head ? [head] : [contextBlock('_Working on it…_')];
  return { text: fallbackText(blocks), blocks };
}

/** Hive's own links (a digest's sources) as Slack links; model text never gets this form. */
const slackLink = (l: ReplyLink) => `<${escapeMrkdwn(l.url).replace(/\|/g, '%7C')}|${escapeMrkdwn(l.label).replace(/\|/g, '¦')}>`;

/** The footer as plain text, but for the evidence id at its end, which Hive links to its page (`HIVE_PUBLIC_URL` set). */
function footerMrkdwn(footer: string): string {
  const linked = splitEvidenceLink(footer);
  return linked ? `${safeText(linked.before)}${slackLink({ label: linked.id, url: linked.url })}` : safeText(footer);
}

/**
 * A person or channel Hive names: `<@U…>`/`<#C…>`, which Slack shows as a name, only in a reply the
 * asker alone sees (ephemeral, so no one is notified); elsewhere the id, since a mention there pings.
 */
const slackMention = (reply: Reply) => (m: Mention) => {
  if (reply.visibility !== 'private') return m.id;
  return m.kind === 'user' ? `<@${m.id}>` : `<#${m.id}>`;
};

/** Hive's own links and mentions put into mrkdwn that is already escaped. */
function withMarkup(mrkdwn: string, reply: Reply): string {
  return renderMentions(renderLinks(mrkdwn, reply.links, slackLink), slackMention(reply));
}

function bodyText(reply: Reply): string {
  const text = withMarkup(toMrkdwn(reply.text.trim() === '' ? '_(empty answer)_' : reply.text), reply);
  return reply.tone === 'error' ? `:warning: ${text}` : text;
}

function extraSections(reply: Reply): types.KnownBlock[] {
  return (reply.sections ?? []).flatMap((s) => sections(`*${safeText(s.title)}*\n${withMarkup(toMrkdwn(s.text), reply)}`));
}

function sections(mrkdwn: string): types.SectionBlock[] {
  return splitMrkdwn(mrkdwn, SLACK_LIMITS.sectionChars).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function headerBlock(reply: Reply, o: RenderOptions): types.ContextBlock | undefined {
  if (!o.echoQuestion || !reply.question) return undefined;
  const who = o.askerId ? `<@${o.askerId}> asked: ` : 'Question: ';
  const question = truncate(reply.question.replace(/\s+/g, ' ').trim(), 1500);
  return contextBlock(truncate(`${who}${safeText(question)}`, SLACK_LIMITS.contextChars));
}

function contextBlock(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.contextChars) }] };
}

/** Characters of mrkdwn a block carries, for the per-message budget. */
export function blockChars(b: types.KnownBlock): number {
  if (b.type === 'section') return b.text?.text.length ?? 0;
  if (b.type === 'context') return b.elements.reduce((n, e) => n + ('text' in e && typeof e.text === 'string' ? e.text.length : 0), 0);
  return 0;
}

/** The notification/fallback text: the message's mrkdwn, within Slack's `text` limit. */
function fallbackText(blocks: types.KnownBlock[]): string {
  const parts = blocks.map((b) => {
    if (b.type === 'section') return b.text?.text ?? '';
    if (b.type === 'context') return b.elements.map((e) => ('text' in e && typeof e.text === 'string' ? e.text : '')).join(' ');
    return '';
  });
  return truncate(parts.filter(Boolean).join('\n'), SLACK_LIMITS.textChars);
}
