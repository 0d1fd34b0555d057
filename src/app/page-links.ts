import type { EvidenceLink } from '../jobs/job-pipeline.ts';
import { createLinkSigner, type LinkSigner } from '../keys/link-signer.ts';
import type { Clock } from '../shared/clock.ts';
import type { Config } from './config.ts';

/** The signer of this install's page links and the footer's evidence link built with it. */
export interface PageLinks {
  signer: LinkSigner;
  evidence: EvidenceLink;
  /** A workspace's spend page, for `/hive usage link`. */
  spend(workspaceId: string): string;
}

/** Links to Hive's pages, when `HIVE_PUBLIC_URL` gives them an address; none (pages off) without it. */
export function createPageLinks(config: Pick<Config, 'publicUrl' | 'linkTtlDays'>, masterKey: Buffer, clock: Clock): PageLinks | undefined {
  const base = config.publicUrl;
  if (!base) return undefined;
  const signer = createLinkSigner({ masterKey, ttlDays: config.linkTtlDays, now: () => clock.now() });
  return {
    signer,
    evidence: (workspaceId, id) => signer.url(base, workspaceId, `evidence/${id}`),
    spend: (workspaceId) => signer.url(base, workspaceId, 'spend'),
  };
}
