import { describe, expect, it } from 'vitest';
import { renderDiscordReply } from '../../adapters/chat/discord/render.ts';
import { renderReply } from '../../adapters/chat/slack/render.ts';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { term } from '../../src/shared/platform-terms.ts';

const slackText = (reply: Reply) =>
  renderReply(reply)
    .map((m) => m.text)
    .join('\n');
const line = `${term.user('U0ALICE')} spent most in ${term.channel('C0GENERAL')}`;

describe('people and channels Hive names, on each platform', () => {
  it('GIVEN a private reply THEN Slack shows mentions (names, in a reply no one else is notified of)', () => {
    expect(slackText({ text: line, visibility: 'private' })).toBe('<@U0ALICE> spent most in <#C0GENERAL>');
  });

  it('GIVEN a reply in the channel THEN Slack shows the ids, since a mention there would notify', () => {
    expect(slackText({ text: line, visibility: 'channel' })).toBe('U0ALICE spent most in C0GENERAL');
  });

  it('GIVEN any reply THEN Discord shows mentions (sent with no mentions allowed) and the terminal shows ids', () => {
    expect(renderDiscordReply({ text: line, visibility: 'channel' })).toEqual(['<@U0ALICE> spent most in <#C0GENERAL>']);
    expect(renderTerminalReply({ text: line, visibility: 'private' }, 1)).toBe('[1]\n@U0ALICE spent most in #C0GENERAL\n');
  });

  it('GIVEN an id no platform markup could hold THEN it is shown as it is, never as markup', () => {
    expect(term.user('<!channel>')).toBe('<!channel>');
    expect(slackText({ text: `by ${term.user('<!channel>')}`, visibility: 'private' })).toBe('by &lt;!channel&gt;');
  });
});
