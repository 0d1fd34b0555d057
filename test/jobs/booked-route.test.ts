import { describe, expect, it } from 'vitest';
import { jobBooking } from '../../src/jobs/booked-route.ts';

const origin = { workspaceId: 'W', channelId: 'C', userId: 'U', platform: 'test', jobId: 'J1' };
const at = new Date('2026-11-03T12:00:00Z');

describe('the lane and rule a job books its calls under', () => {
  it('GIVEN an /ask THEN its plan lane and reason; GIVEN a consensus or a digest THEN the plan lane and the command as the rule', () => {
    expect(jobBooking({ ...origin, command: 'ask' }, { lane: 'balanced', reason: 'auto: code' }, 'E', at)).toEqual({
      ...origin,
      command: 'ask',
      evidenceId: 'E',
      at,
      lane: 'balanced',
      route: 'auto: code',
    });
    expect(jobBooking({ ...origin, command: 'consensus' }, { lane: 'deep', reason: '--deep' }, 'E', at)).toMatchObject({
      lane: 'deep',
      route: 'consensus',
      jobId: 'J1',
    });
    expect(jobBooking({ ...origin, command: 'digest' }, { lane: 'cheap', reason: 'command default' }, 'E', at)).toMatchObject({
      lane: 'cheap',
      route: 'digest',
    });
  });
});
