import { describe, expect, it } from 'vitest';
import { readCliArgs } from '../../adapters/cli/cli-args.ts';
import { CHANNEL, GUILD, isEdit, isPrivateReply, sentMessage, startDiscord, type DiscordHarness, textOf } from './harness.ts';
import { PASTED_KEY } from '../helpers/fake-secret.ts';

const PASTED = PASTED_KEY;

/** A member's `/ask` with these options, and what Discord was told back: the private reply of a refusal, or the answer. */
async function ask(h: DiscordHarness, options: { name: string; type: number; value: string }[], answer: 'refusal' | 'edit'): Promise<string> {
  const { token } = h.discord.interaction({ name: 'ask', guildId: GUILD, channelId: CHANNEL, options });
  const sent = await h.discord.waitFor(answer === 'refusal' ? isPrivateReply(token) : isEdit(token));
  return textOf(sentMessage(sent));
}

describe("Discord: refusals in Discord's words", () => {
  it('GIVEN a key pasted into /ask THEN the refusal names /hive keys and the exact CLI command for this guild', async () => {
    const h = await startDiscord();
    const text = await ask(h, [{ name: 'question', type: 3, value: `is this still good? ${PASTED}` }], 'refusal');
    expect(text).toMatch(/not sent to any model/);
    expect(text).toContain('`/hive keys` (a private form)');
    const cli = /`npm run hive -- ([^`]+)`/.exec(text)![1]!;
    expect(cli).toBe(`keys set --workspace discord:${GUILD} --vendor openai`);
    expect(readCliArgs(cli.split(' '))).toHaveProperty('run');
    expect(text).not.toContain(PASTED);
  });

  it('GIVEN a model option that is not provider:model THEN the refusal names the model option, not a --model flag', async () => {
    const h = await startDiscord();
    const text = await ask(
      h,
      [
        { name: 'question', type: 3, value: 'hi' },
        { name: 'model', type: 3, value: 'gpt-6-luna' },
      ],
      'refusal',
    );
    expect(text).toContain('in the `model` option');
    expect(text).not.toMatch(/--model/);
  });

  it('GIVEN no usable key THEN the refusal names the guild, and no other lane since every lane uses the same vendors', async () => {
    const h = await startDiscord({ keyless: true });
    const text = await ask(h, [{ name: 'question', type: 3, value: 'why?' }], 'refusal');
    expect(text).toMatch(/^⚠️ No usable key for the \w+ lane/);
    expect(text).toContain(`--workspace discord:${GUILD} `);
    expect(text).not.toMatch(/another lane|pick the/);
  });

  it('GIVEN an answer in the lane the lane option chose THEN its footer says so, not --deep', async () => {
    const h = await startDiscord();
    const text = await ask(
      h,
      [
        { name: 'question', type: 3, value: 'why?' },
        { name: 'lane', type: 3, value: 'deep' },
      ],
      'edit',
    );
    expect(text).toMatch(/-# .* · deep \(the `lane` option\) · /);
    expect(text).not.toContain('--deep');
  });
});
