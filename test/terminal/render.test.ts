import { describe, expect, it } from 'vitest';
import { renderTerminalReply } from '../../adapters/chat/terminal/render.ts';
import { escapeControlChars } from '../../src/shared/control-chars.ts';

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

describe('terminal rendering of Hive formatting', () => {
  const render = (text: string) =>
    renderTerminalReply({ text, visibility: 'private' }, 1)
      .replace(/^\[1\]\n/, '')
      .replace(/\n$/, '');

  it('GIVEN emphasis as Hive writes it THEN the terminal shows the words without marks', () => {
    expect(render('*Hive* routes your questions')).toBe('Hive routes your questions');
    expect(render('6 × 7 = **42**\n\n_3/3 agree_')).toBe('6 × 7 = 42\n\n3/3 agree');
    expect(render('• *cheap*: ✓ openai:gpt-6-luna\n## Usage\n* one\n- two')).toBe('• cheap: ✓ openai:gpt-6-luna\nUsage\n• one\n- two');
  });

  it('GIVEN links and mentions in Markdown or Slack form THEN each shows what it stands for, the address in full', () => {
    expect(render('see <https://example.com/a_b_|the docs> or [guide](https://example.com/_x_)')).toBe(
      'see the docs <https://example.com/a_b_> or guide <https://example.com/_x_>',
    );
    expect(render('<@U0123ABC> and <@U9|ana> in <#C1|general>, <!here>, <https://example.com>')).toBe(
      '@U0123ABC and @ana in #general, @here, https://example.com',
    );
  });

  it('GIVEN code, identifiers and arithmetic THEN they are kept exactly', () => {
    const code = '```python\ndef f(*args, **kwargs):\n    return __name__ * 2\n```';
    expect(render(code)).toBe(code);
    expect(render('use `*glob*` and `__init__`, my_var_name, 2*3*4, a * b * c')).toBe('use `*glob*` and `__init__`, my_var_name, 2*3*4, a * b * c');
  });

  it('GIVEN sections, a footer and an error THEN their marks are dropped too, and the echoed question is left as typed', () => {
    const out = renderTerminalReply(
      {
        text: '*No key*',
        tone: 'error',
        question: 'why *this*?',
        visibility: 'private',
        sections: [{ title: '*Members*', text: '- **a**: yes' }],
        footer: 'gpt · _cheap_',
      },
      2,
    );
    expect(out).toBe('[2] > why *this*?\n! No key\n\nMembers\n- a: yes\n— gpt · cheap\n');
  });
});
