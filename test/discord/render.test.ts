import { describe, expect, it } from 'vitest';
import { renderDiscordReply, splitMessage } from '../../adapters/chat/discord/render.ts';

describe('Discord rendering', () => {
  it('GIVEN a reply THEN the footer is subtext on its own line, an error is marked, sections follow the body', () => {
    expect(renderDiscordReply({ text: 'Hi', visibility: 'channel', footer: 'gpt-6-luna · $0.01' })).toEqual(['Hi\n-# gpt-6-luna · $0.01']);
    expect(renderDiscordReply({ text: 'No key', visibility: 'private', tone: 'error' })).toEqual(['⚠️ No key']);
    expect(renderDiscordReply({ text: 'A', visibility: 'channel', sections: [{ title: 'Members', text: '- x' }] })).toEqual(['A\n\n**Members**\n- x']);
  });

  it('GIVEN a long code block THEN each part is within the limit and its fence is closed and re-opened with its language', () => {
    const code = Array.from({ length: 200 }, (_, i) => `const line${i} = ${i};`).join('\n');
    const parts = splitMessage(`Here:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nDone.`, 500);
    expect(parts.length).toBeGreaterThan(5);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(500);
      expect((p.match(/^```/gm) ?? []).length % 2).toBe(0); // every part's fences balance
    }
    expect(parts[1]!.startsWith('```ts\n')).toBe(true);
    const lines = parts
      .join('\n')
      .split('\n')
      .filter((l) => l.startsWith('const line'));
    expect(lines).toHaveLength(200);
    expect(parts.at(-1)!.endsWith('Done.')).toBe(true);
  });

  it('GIVEN text without breaks THEN it is cut hard, never inside a surrogate pair', () => {
    const parts = splitMessage('🙂'.repeat(600), 101);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(101);
    expect(parts.join('')).toBe('🙂'.repeat(600));
  });
});
