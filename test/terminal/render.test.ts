import { describe, expect, it } from 'vitest';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import { escapeControlChars } from '../../src/chat/control-chars.ts';

const ESC = '\u001b';
/** Any control character other than newline and tab: what must never reach the terminal raw. */
const RAW_CONTROL = /\p{Cc}(?<![\n\t])/u;

describe('terminal rendering of untrusted text', () => {
  it('GIVEN a question with escape and control bytes THEN the echo shows them escaped', () => {
    const out = renderTerminalReply({ text: 'ok', visibility: 'channel', question: `hi ${ESC}[2J${ESC}]0;pwned\u0007 nul\u0000 cr\r del\u007f` }, 3);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('[3] > hi \\x1b[2J\\x1b]0;pwned\\x07 nul\\x00 cr del\\x7f');
  });

  it('GIVEN model output, sections and footer with escape sequences THEN none reaches the terminal raw', () => {
    const out = renderTerminalReply(
      {
        text: `answer ${ESC}[31mred${ESC}[0m\u009b2J`,
        visibility: 'channel',
        sections: [{ title: `T${ESC}P`, text: `body\u0007` }],
        footer: `gpt ${ESC}[5m`,
      },
      1,
    );
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('answer \\x1b[31mred\\x1b[0m\\x9b2J');
    expect(out).toContain('— gpt \\x1b[5m');
  });

  it('GIVEN ordinary Unicode, tabs and newlines THEN they stay readable', () => {
    const text = 'naïve café — 6 × 7 = 42 🐝\n\tindented\r\nnext line';
    expect(escapeControlChars(text)).toBe('naïve café — 6 × 7 = 42 🐝\n\tindented\nnext line');
    expect(escapeControlChars('abc\u202edcba')).toBe('abc\\u202edcba');
  });

  it('GIVEN a 200 KB question THEN the echo is clipped and says how long it was', () => {
    const out = renderTerminalReply({ text: 'ok', visibility: 'channel', question: 'a'.repeat(200_000) }, 1);
    expect(out.length).toBeLessThan(400);
    expect(out).toMatch(/^\[1\] > a{200}… \(200,000 characters\)\nok\n$/);
  });
});
