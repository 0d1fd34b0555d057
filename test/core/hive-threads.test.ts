import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/hive threads', () => {
  it('GIVEN the workspace and channel settings THEN the channel one wins, default hands back to the workspace, and a bad word says the choices', async () => {
    h = await startHarness({ vendors: {} });
    expect((await h.run('/hive threads')).text).toMatch(/^Threads in this channel: every message in a thread Hive answered in is a question for it\./);
    expect((await h.run('/hive threads mentions')).text).toMatch(
      /^Workspace: mentions\.\nThreads in this channel: in threads, Hive answers only messages that @mention it\./,
    );
    expect((await h.run('/hive threads all here')).text).toMatch(/^This channel: all\.\nThreads in this channel: every message .* \(set for this channel\)\./);
    expect((await h.run('/hive threads default here')).text).toMatch(
      /^This channel: as the workspace\.\nThreads in this channel: in threads, Hive answers only/,
    );
    const bad = await h.run('/hive threads sometimes');
    expect(bad.tone).toBe('error');
    expect(bad.text).toContain('"sometimes" is not a choice: all, mentions, or default');
  });
});
