import { describe, expect, it } from 'vitest';
import { renderReply } from '../../adapters/chat/slack/render.ts';
import { renderDiscordReply } from '../../adapters/chat/discord/render.ts';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import { linkMarker } from '../../src/chat/reply-links.ts';
import type { Reply } from '../../src/chat/invocation.ts';

const reply: Reply = {
  text: '**Daily digest** · Tue 1 Dec',
  visibility: 'channel',
  sections: [{ title: 'Decisions', text: `- Ship on Friday (${linkMarker(0)}) [x](https://evil.example)` }],
  links: [{ label: '09:14', url: 'https://acme.slack.com/archives/C1/p1700000000000100?thread_ts=1.2&cid=C1' }],
};

describe('links Hive adds itself (a digest’s sources)', () => {
  it('GIVEN a digest reply THEN each platform renders its own links natively, while a link in model text still shows its destination', () => {
    const slack = JSON.stringify(renderReply(reply)[0]!.blocks);
    expect(slack).toContain('<https://acme.slack.com/archives/C1/p1700000000000100?thread_ts=1.2&amp;cid=C1|09:14>');
    expect(slack).toContain('x (<https://evil.example>)');
    const discord = renderDiscordReply(reply).join('\n');
    expect(discord).toContain('([09:14](<https://acme.slack.com/archives/C1/p1700000000000100?thread_ts=1.2&cid=C1>))');
    expect(renderTerminalReply(reply, 1)).toContain('(09:14 <https://acme.slack.com/archives/C1/p1700000000000100?thread_ts=1.2&cid=C1>)');
  });

  it('GIVEN a reply without links THEN a stray marker renders as nothing on every platform', () => {
    const stray: Reply = { text: `answer ${linkMarker(0)} end`, visibility: 'channel' };
    expect(JSON.stringify(renderReply(stray)[0]!.blocks)).toContain('answer  end');
    expect(renderDiscordReply(stray)[0]).toBe('answer  end');
  });
});
