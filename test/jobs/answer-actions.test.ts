import { afterEach, describe, expect, it } from 'vitest';
import { sendLine, offerOf } from '../helpers/action-line.ts';
import type { Reply } from '../../src/chat/invocation.ts';
import { startHarness, type Harness } from '../helpers/hive-harness.ts';
import { evidenceWithActions } from '../../src/jobs/evidence-export.ts';
import { DAY_MS } from '../../src/evidence/evidence-retention.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const send = sendLine;
const offer = offerOf;

async function bot(latencyMs = 0) {
  h = await startHarness({
    store: 'sqlite',
    env: { HIVE_VENDOR_TIMEOUT_MS: '60000' },
    vendors: {
      openai: (req) => ({ text: `answer from ${req.model}`, usage: { input: 20, output: 5 }, ...(req.lastUserText.includes('slow') ? { latencyMs } : {}) }),
    },
  });
  return h;
}

describe('answer actions, the same for every platform', () => {
  it('GIVEN an answer THEN it offers re-runs and votes; re-run deeper answers on the deep lane once, billed to the presser', async () => {
    const h = await bot();
    const first = await send(h.hive, 'ask', '--cheap what is 6 times 7?').reply;
    expect(first.actions?.map((a) => a.kind)).toEqual(['deeper', 'cheaper', 'consensus', 'helpful', 'unhelpful']);
    const deeper = offer(first, 'deeper')!;
    const again = await send(h.hive, 'deeper', deeper.ref, { userId: 'U-other' }).reply;
    expect(again.footer).toMatch(/ · deep \(re-run deeper\) · /);
    expect(again.tone).not.toBe('error');
    const twice = await send(h.hive, 'deeper', deeper.ref, { userId: 'U-third' }).reply;
    expect(twice.text).toMatch(/already re-run deeper by .*U-other/);
    const users: string[] = [];
    for await (const r of h.hive.ctx.ledger.rows('local', '2000-01-01', '2100-01-01')) users.push(r.userId);
    expect(users.sort()).toEqual(['U-ask', 'U-other']);
  });

  it('GIVEN votes THEN one per person counts, the latest wins, and the counts are per lane', async () => {
    const h = await bot();
    const first = await send(h.hive, 'ask', '--cheap hello').reply;
    const ref = offer(first, 'helpful')!.ref;
    expect((await send(h.hive, 'good', ref).reply).text).toMatch(/marked helpful/);
    expect((await send(h.hive, 'good', ref).reply).text).toMatch(/already marked this answer helpful/);
    expect((await send(h.hive, 'bad', ref).reply).text).toMatch(/replacing your earlier vote/);
    await send(h.hive, 'good', ref, { userId: 'U-2' }).reply;
    const counts = await h.hive.ctx.answers.book.counts('local', 0, Date.now() + 1000);
    expect(counts.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { lane: 'cheap', kind: 'helpful', n: 1 },
      { lane: 'cheap', kind: 'unhelpful', n: 1 },
    ]);
    const usage = await send(h.hive, 'hive', 'usage day', { userId: 'U-member' }).reply;
    expect(usage.text).toMatch(/\*Feedback by lane\*\n• cheap: 1 helpful · 1 not helpful/);
    const exported: { id: string; actions: { kind: string; userId: string }[] }[] = [];
    for await (const v of evidenceWithActions(h.hive.evidence, h.hive.ctx.answers.book, 0, 'local')) exported.push(v);
    expect(
      exported
        .find((v) => first.footer?.includes(v.id))
        ?.actions.map((a) => `${a.userId}:${a.kind}`)
        .sort(),
    ).toEqual(['U-2:helpful', 'U-ask:unhelpful']);
  });

  it('GIVEN a job held for its cost THEN it offers Confirm; only the asker or an admin confirms, once', async () => {
    const h = await bot();
    expect((await send(h.hive, 'hive', 'budget confirm 0.000001', { admin: true }).reply).text).toMatch(/ask for confirmation first/);
    const held = await send(h.hive, 'ask', 'what is 6 times 7?').reply;
    expect(held.text).toMatch(/Press Confirm to go ahead/);
    const confirm = offer(held, 'confirm')!;
    expect((await send(h.hive, 'confirm', confirm.ref, { userId: 'U-other' }).reply).text).toMatch(/Only .*U-ask.*, who asked/);
    const ran = await send(h.hive, 'confirm', confirm.ref).reply;
    expect(ran.text).toMatch(/answer from/);
    expect((await send(h.hive, 'confirm', confirm.ref, { admin: true, userId: 'U-admin' }).reply).text).toMatch(
      /not waiting for confirmation|already confirmed/,
    );
  });

  it('GIVEN a slow job THEN Cancel from the asker stops it and its reply says what was spent; others may not', async () => {
    const h = await bot(30_000);
    const slow = send(h.hive, 'ask', '--cheap a slow question');
    await expect.poll(() => slow.notes.find((n) => n.actions?.length)?.actions?.[0], { timeout: 10_000 }).toBeDefined();
    const cancel = slow.notes.find((n) => n.actions?.length)!.actions![0]!;
    expect(cancel.kind).toBe('cancel');
    expect((await send(h.hive, 'cancel', cancel.ref, { userId: 'U-other' }).reply).text).toMatch(/Only .*, who asked/);
    const asked = await send(h.hive, 'cancel', cancel.ref).reply;
    expect(asked.text).toMatch(/Cancelling/);
    const reply = await slow.reply;
    expect(reply.text).toMatch(/Cancelled by .*U-ask/);
    expect(reply.footer).toMatch(/spent \$[\d.]+ · cheap lane · evidence [0-9A-Z]{26}/);
    expect(h.vendors.openai!.requests.some((r) => r.lastUserText.includes('slow'))).toBe(true);
    expect((await send(h.hive, 'cancel', cancel.ref).reply).text).toMatch(/already been cancelled|already cancelled/);
  });

  it('GIVEN a typed reference that is malformed, unknown or from another workspace THEN it is refused without a read of anything else', async () => {
    const h = await bot();
    const first = await send(h.hive, 'ask', 'hello').reply;
    expect((await send(h.hive, 'deeper', "x'; drop table").reply).text).toMatch(/Which answer\?/);
    expect((await send(h.hive, 'deeper', 'zzzzzzzzzzzz').reply).text).toMatch(/not kept any more/);
    const elsewhere = await new Promise<Reply>((resolve) => {
      void h.hive.dispatcher.handle({
        platform: 'test',
        workspaceId: 'T-other',
        channelId: 'C-test',
        userId: 'U-ask',
        command: 'good',
        text: offer(first, 'helpful')!.ref,
        isAdmin: async () => true,
        respond: async (r) => resolve(r),
      });
    });
    expect(elsewhere.text).toMatch(/not kept any more/);
  });

  it('GIVEN a vendor that fails THEN the job shows the failover as a step of the job', async () => {
    h = await startHarness({
      vendors: {
        anthropic: () => ({ status: 401, errorType: 'authentication_error' }),
        openai: () => ({ text: 'answered by the next one', usage: { input: 5, output: 5 } }),
      },
    });
    const line = send(h.hive, 'ask', '--cheap hello there');
    const reply = await line.reply;
    expect(reply.text).toMatch(/answered by the next one/);
    const task = line.notes.find((n) => n.kind === 'task')?.task;
    expect(task).toMatchObject({ id: 'failover:anthropic', status: 'error' });
    expect(task?.title).toMatch(/^Anthropic .*; trying the next model$/);
  });

  it('GIVEN a cancel while the lane has another vendor THEN the job stops, and no other vendor is tried', async () => {
    h = await startHarness({
      env: { HIVE_VENDOR_TIMEOUT_MS: '60000' },
      vendors: {
        anthropic: () => ({ text: 'late', usage: { input: 5, output: 5 }, latencyMs: 30_000 }),
        openai: () => ({ text: 'should not be asked', usage: { input: 5, output: 5 } }),
      },
    });
    const slow = send(h.hive, 'ask', '--cheap a slow one');
    await expect.poll(() => slow.notes.find((n) => n.actions?.length), { timeout: 10_000 }).toBeDefined();
    await send(h.hive, 'cancel', slow.notes.find((n) => n.actions?.length)!.actions![0]!.ref).reply;
    const reply = await slow.reply;
    expect(reply.text).toMatch(/Cancelled by/);
    expect(h.vendors.openai!.requests.filter((r) => r.model)).toHaveLength(0);
    expect(slow.notes.some((n) => n.kind === 'task')).toBe(false);
  });

  it('GIVEN the upkeep sweep THEN job rows go with their evidence content, and action rows with their evidence records', async () => {
    const h = await bot();
    const first = await send(h.hive, 'ask', 'hello').reply;
    const ref = offer(first, 'helpful')!.ref;
    await send(h.hive, 'good', ref).reply;
    const book = h.hive.ctx.answers.book;
    const now = Date.now();
    await book.expire(now + 29 * DAY_MS);
    expect(await book.get(ref, 'local')).toBeDefined();
    await book.expire(now + 31 * DAY_MS);
    expect(await book.get(ref, 'local')).toBeUndefined();
    expect((await book.counts('local', 0, now + DAY_MS)).map((c) => c.kind)).toEqual(['helpful']);
    await book.expire(now + 401 * DAY_MS);
    expect(await book.counts('local', 0, now + DAY_MS)).toEqual([]);
  });
});
