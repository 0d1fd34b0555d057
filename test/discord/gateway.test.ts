import { describe, expect, it } from 'vitest';
import { identifyDelay } from '../../adapters/chat/discord/identify-budget.ts';
import { APPLICATION_ID } from '../fakes/discord-api.ts';
import { CHANNEL, GUILD, TOKEN, isEdit, startDiscord, textOf } from './harness.ts';
import { until } from '../helpers/until.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** An /ask that the bot answers: proof the gateway still delivers and REST still works. */
async function askAndWait(h: Awaited<ReturnType<typeof startDiscord>>): Promise<void> {
  const { token } = h.discord.interaction({
    name: 'ask',
    guildId: GUILD,
    channelId: CHANNEL,
    options: [{ name: 'question', type: 3, value: 'Capital of France?' }],
  });
  const edit = await h.discord.waitFor(isEdit(token), 15_000);
  expect(textOf(edit.body)).toContain('Paris');
}

describe('Discord gateway logins (1,000 IDENTIFY a day)', () => {
  it('GIVEN the login record THEN the first logins wait only for spacing, further ones double, and waits stop at 15 minutes', () => {
    const t = 10 * DAY;
    expect(identifyDelay([], t)).toBe(0);
    expect(identifyDelay([t - 60 * MIN], t)).toBe(0);
    expect(identifyDelay([t - 1000], t)).toBe(4000);
    expect(identifyDelay([t - 3 * MIN, t - 2 * MIN], t)).toBe(0);
    expect(identifyDelay([t - 3 * MIN, t - 2 * MIN, t], t)).toBe(10_000);
    expect(identifyDelay([t - 3 * MIN, t - 2 * MIN, t - MIN, t], t)).toBe(20_000);
    expect(
      identifyDelay(
        Array.from({ length: 30 }, (_, k) => t - 29 + k),
        t,
      ),
    ).toBe(15 * MIN);
  });

  it('GIVEN a process that dies right after every login, restarted at once for a day THEN it logs in far fewer than 1,000 times', () => {
    const history: number[] = [];
    let t = 0;
    while (t < DAY) {
      t += identifyDelay(history, t) + 200; // the wait, then a start that crashes 200 ms later
      history.push(t);
      while (history[0]! <= t - DAY) history.shift();
    }
    expect(history.length).toBeLessThan(150);
  });

  it('GIVEN the connection drops THEN discord.js resumes the session (no new IDENTIFY) and commands still work', async () => {
    const h = await startDiscord();
    expect(h.discord.identifies).toHaveLength(1);
    h.discord.dropConnections(4000);
    await until('the session to resume', () => h.discord.resumes.length === 1);
    await askAndWait(h);
    expect(h.discord.identifies).toHaveLength(1);
  });

  it('GIVEN the session is invalidated THEN Hive logs in again after the spacing, recorded in the store, and answers', async () => {
    const waits: number[] = [];
    const h = await startDiscord({ identifySleep: async (ms) => void waits.push(ms) });
    expect(waits).toEqual([]);
    h.discord.invalidateSessions();
    await until('a second IDENTIFY', () => h.discord.identifies.length === 2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    expect(waits[0]).toBeLessThanOrEqual(5_000);
    await askAndWait(h);
    const record = await h.hive.host.store.ns<number[]>('gateway').get(`identify:${APPLICATION_ID}`);
    expect(record).toHaveLength(2);
  });

  it('GIVEN six logins in the last few minutes (a restart loop) THEN start-up waits, says why in the log, and then logs in', async () => {
    const waits: number[] = [];
    const now = Date.now();
    const recentLogins = [5, 4, 3, 2, 1, 0.5].map((m) => now - m * MIN);
    const h = await startDiscord({ recentLogins, identifySleep: async (ms) => void waits.push(ms) });
    expect(h.discord.identifies).toHaveLength(1);
    expect(waits).toHaveLength(1);
    // The seventh login in an hour: 5 s doubled four times, less the 30 s since the sixth.
    expect(waits[0]).toBeGreaterThan(80_000 - 30_000 - 5_000);
    expect(waits[0]).toBeLessThanOrEqual(80_000 - 30_000);
    const line = h.logs.find((l) => l.includes('gateway logins in the last hour'));
    expect(line).toMatch(/"loginsLastHour":6/);
    expect(line).toMatch(/restarting in a loop/);
  });

  it('GIVEN Discord says few sessions are left today THEN the log warns before logging in; with none left start-up fails saying so, without the token', async () => {
    const h = await startDiscord({ sessionStartsLeft: 7 });
    expect(h.logs.some((l) => /only 7 of 1000 gateway sessions are left today/.test(l))).toBe(true);
    const failed = await startDiscord({ sessionStartsLeft: 0 }).then(
      () => new Error('started'),
      (e: unknown) => e as Error,
    );
    expect(failed.message).toMatch(/Not enough sessions remaining.*only 0 remaining/);
    expect(failed.message).not.toContain(TOKEN);
  });
});
