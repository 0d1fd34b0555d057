import { afterEach, describe, expect, it } from 'vitest';
import { readCliArgs } from '../../adapters/cli/cli-args.ts';
import { KEY, TEAM, startHarness, type Harness } from './harness.ts';
import { PASTED_KEY } from '../helpers/fake-secret.ts';

const PASTED = PASTED_KEY;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The private answer to a slash command, as its user reads it. */
async function privateAnswer(harness: Harness, text: string): Promise<string> {
  await harness.slash(text);
  await harness.slack.waitFor(() => harness.slack.of('response_url').length === 1);
  const r = harness.slack.of('response_url')[0]!;
  expect(r.body.response_type).toBe('ephemeral');
  return String(r.body.text);
}

describe("Slack: refusals in Slack's words", () => {
  it('GIVEN a key pasted into /ask THEN the refusal names the key form and the exact CLI command for this workspace', async () => {
    h = await startHarness({ keys: { [TEAM]: KEY } });
    const text = await privateAnswer(h, `is this still good? ${PASTED}`);
    expect(text).toContain('`/hive keys` (a private form)');
    const cli = /`npm run hive -- ([^`]+)`/.exec(text)![1]!;
    expect(cli).toBe(`keys set --workspace slack:${TEAM} --vendor openai`);
    expect(readCliArgs(cli.split(' '))).toHaveProperty('run');
    expect(text).not.toContain(PASTED);
  });

  it('GIVEN no usable key THEN the refusal names this workspace, and no other lane since every lane uses the same vendors', async () => {
    h = await startHarness();
    const text = await privateAnswer(h, '--deep why?');
    expect(text).toMatch(/No usable key for the deep lane/);
    expect(text).toContain(`--workspace slack:${TEAM} `);
    expect(text).not.toMatch(/<workspace>|&lt;workspace&gt;|another lane|pick the/);
  });
});
