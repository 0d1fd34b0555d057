import { describe, it } from 'vitest';
import type { ModelProvider, Vendor } from '../../src/shared/provider-spec.ts';
import { answerCases } from './model-provider-answer.cases.ts';
import { errorCases } from './model-provider-errors.cases.ts';
import { streamCases } from './model-provider-stream.cases.ts';
import { keyFor, type ContractCase } from './model-provider-support.ts';

const CASES = { ...answerCases, ...streamCases, ...errorCases };

/** Every case name in the shared suite; skip entries must use one of these. */
export type ModelProviderCaseName = keyof typeof CASES;

/** What a provider's test file hands the shared suite. */
export interface ModelProviderContractOptions {
  vendor: Vendor;
  /** Builds the provider under test pointed at a fake vendor's base URL. */
  createProvider: (baseUrl: string) => ModelProvider;
  /** Cases that cannot apply to this vendor, each with the reason (shown in the test name). */
  skip?: Partial<Record<ModelProviderCaseName, string>>;
}

/**
 * The one suite every ModelProvider must pass, driven through the real SDK against a
 * wire-accurate fake, so the router can treat all vendors alike.
 */
export function runModelProviderContract(opts: ModelProviderContractOptions): void {
  const ctx = { vendor: opts.vendor, createProvider: opts.createProvider, key: keyFor(opts.vendor) };
  describe(`ModelProvider contract: ${opts.vendor}`, () => {
    for (const [name, body] of Object.entries(CASES) as Array<[ModelProviderCaseName, ContractCase]>) {
      const reason = opts.skip?.[name];
      if (reason) it.skip(`${name} (skipped: ${reason})`, () => undefined);
      else it(name, () => body(ctx));
    }
  });
}
