import type { LaneName } from '../shared/types.ts';

/** How a job without a lane flag finds its lane: today's keyword rules, cheap first with escalation, or a learned classifier. */
export type PolicyName = 'rules' | 'cheap-first' | 'learned';

export const POLICY_NAMES: readonly PolicyName[] = ['rules', 'cheap-first', 'learned'];

/** A policy as an admin chose it; `learned` carries the share of jobs it aims to send to the strong lanes. */
export type PolicyChoice = { name: 'rules' } | { name: 'cheap-first' } | { name: 'learned'; strongShare: number };

/** What decides a job's lane when no one typed a flag: a fixed lane or a policy, and whose setting it is. */
export type RoutingDefault = { scope: 'workspace' | 'channel' } & ({ lane: LaneName } | { policy: PolicyChoice });

/** The share of strong calls `learned` aims at when the admin names none: at most 60% kept 95% of quality offline. */
export const DEFAULT_STRONG_SHARE = 0.5;

/** `learned (40% strong)`, `cheap-first`, `rules`: how a policy is named in replies and footers. */
export function policyText(p: PolicyChoice): string {
  return p.name === 'learned' ? `learned (${Math.round(p.strongShare * 100)}% strong)` : p.name;
}
