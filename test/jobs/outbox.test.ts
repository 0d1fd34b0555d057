import { describe, expect, it } from 'vitest';
import { createOutbox } from '../../src/jobs/outbox.ts';
import { opener, suiteBackends } from '../store/log-fixtures.ts';

const job = { id: 'slack:slash:trig.1', platform: 'slack', workspaceId: 'slack:T1' };

describe.each(suiteBackends())('outbox on $name', (backend) => {
  const open = opener(backend);

  it('GIVEN a job run for the first time THEN it is new; run again by another worker THEN resumed with what was posted', async () => {
    const outbox = createOutbox(await open(), () => 1_000);
    expect(await outbox.begin(job, 'w1', 0)).toEqual({ state: 'new' });
    await outbox.posted(job.id, '1700.000001', 'w1');
    expect(await outbox.begin(job, 'w2', 0)).toEqual({ state: 'resumed', ref: '1700.000001', attempts: 2 });
  });

  it('GIVEN a worker whose job was taken over THEN it may not post; the one holding it may, once', async () => {
    const outbox = createOutbox(await open());
    await outbox.begin(job, 'w1', 0);
    await outbox.begin(job, 'w2', 0);
    expect(await outbox.claimPost(job.id, 'w1')).toBe(false);
    expect(await outbox.claimPost(job.id, 'w2')).toBe(true);
    expect(await outbox.claimPost(job.id, 'w2')).toBe(false);
  });

  it('GIVEN a run posting its answer THEN another run waits while it is recent, takes the job over once overdue, and nothing runs once sent', async () => {
    let now = 10_000;
    const outbox = createOutbox(await open(), () => now);
    await outbox.begin(job, 'w1', 0);
    await outbox.posted(job.id, 'ts-1', 'w1');
    await outbox.claimPost(job.id, 'w1');
    expect(await outbox.begin(job, 'w2', now - 45_000)).toEqual({ state: 'posting', since: 10_000 });
    now += 60_000; // w1 never finished: killed mid-post
    expect(await outbox.begin(job, 'w2', now - 45_000)).toEqual({ state: 'resumed', ref: 'ts-1', attempts: 2 });
    expect(await outbox.claimPost(job.id, 'w1')).toBe(false);
    expect(await outbox.claimPost(job.id, 'w2')).toBe(true);
    await outbox.sent(job.id);
    expect(await outbox.begin(job, 'w3', now)).toEqual({ state: 'sent' });
    // A late note from a worker that lost the job changes nothing once the answer is out.
    await outbox.posted(job.id, 'ts-late', 'w1');
    expect(await outbox.begin(job, 'w3', now)).toEqual({ state: 'sent' });
  });

  it('GIVEN an answer posted with no placeholder, after the right to post was taken THEN its message is recorded for a run that takes over', async () => {
    let now = 10_000;
    const outbox = createOutbox(await open(), () => now);
    await outbox.begin(job, 'w1', 0);
    expect(await outbox.claimPost(job.id, 'w1')).toBe(true);
    await outbox.posted(job.id, 'pending:10000', 'w1');
    await outbox.posted(job.id, 'ts-fast', 'w1'); // then w1 is killed before it marks the answer sent
    now += 60_000;
    expect(await outbox.begin(job, 'w2', now - 45_000)).toEqual({ state: 'resumed', ref: 'ts-fast', attempts: 2 });
    // The dead worker's late note cannot overwrite what the run holding the job records.
    await outbox.posted(job.id, 'ts-stale', 'w1');
    expect(await outbox.begin(job, 'w3', now)).toMatchObject({ state: 'resumed', ref: 'ts-fast' });
  });

  it('GIVEN 20 workers beginning the same job at once THEN exactly one finds it new and one may post', async () => {
    const outbox = createOutbox(await open());
    const starts = await Promise.all([...Array(20).keys()].map((n) => outbox.begin(job, `w${n}`, 0)));
    expect(starts.filter((s) => s.state === 'new')).toHaveLength(1);
    const claims = await Promise.all([...Array(20).keys()].map((n) => outbox.claimPost(job.id, `w${n}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it('GIVEN old records THEN prune deletes them by age', async () => {
    let now = 1_000;
    const outbox = createOutbox(await open(), () => now);
    await outbox.begin(job, 'w1', 0);
    now = 5_000;
    await outbox.begin({ ...job, id: 'slack:slash:trig.2' }, 'w1', 0);
    expect(await outbox.prune(2_000)).toBe(1);
    expect(await outbox.begin(job, 'w1', 0)).toEqual({ state: 'new' });
  });
});
