import type { Usage, Vendor } from '../shared/provider-spec.ts';
import { computeCost, type Cost } from './cost.ts';
import type { PriceCatalogue } from '../models/price-catalogue.ts';

/** A call's cost, and the table entry it was priced as when that is not the model asked for. */
export interface ServedCost {
  cost: Cost | undefined;
  /** The canonical id priced, set only when the vendor served (and bills) another model than the one asked. */
  pricedAs?: string;
}

/**
 * Vendors bill the model that served a call, which is not always the one asked for (Google serves
 * a retired model's calls with its successor): the served model's price is used when the vendor
 * names a priced model, else the asked model's. A dated snapshot of the asked model is the same entry.
 */
export function costAsServed(catalogue: PriceCatalogue, vendor: Vendor, asked: string, served: string | undefined, usage: Usage, at: Date): ServedCost {
  const cost = computeCost(catalogue, vendor, served ? [served, asked] : [asked], usage, { at });
  if (!cost || cost.modelId === catalogue.find(vendor, asked)?.id) return { cost };
  return { cost, pricedAs: cost.modelId };
}
