import { expect } from 'vitest';
import { VendorError, type VendorErrorKind } from '../../src/shared/errors.ts';
import type { ModelProvider, ModelRequest, Vendor } from '../../src/shared/provider-spec.ts';
import { startFakeVendor, type FakeVendor, type FakeVendorOptions } from '../fakes/fake-vendor.ts';
import { fakeSecret } from '../helpers/fake-secret.ts';

/** What every contract case receives. */
export interface ContractContext {
  vendor: Vendor;
  createProvider: (baseUrl: string) => ModelProvider;
  /** A realistic-looking key for this vendor; it must never surface in an error. */
  key: string;
}

/** One contract case: a body run against a fresh fake. */
export type ContractCase = (ctx: ContractContext) => Promise<void>;

const KEYS: Record<Vendor, string> = {
  anthropic: fakeSecret('sk-ant-', 'api03-contractTESTkey-0123456789abcdefAA'),
  openai: fakeSecret('sk-', 'proj-contractTESTkey0123456789abcdefghijkl'),
  google: fakeSecret('AIza', 'SyContractTestKey0123456789abcdefgh'),
};

/** The per-vendor test key. */
export function keyFor(vendor: Vendor): string {
  return KEYS[vendor];
}

/** A small request; `model` defaults to something plausible for the vendor. */
export function request(vendor: Vendor, over: Partial<ModelRequest> = {}): ModelRequest {
  const model = { anthropic: 'claude-sonnet-4-6', openai: 'gpt-6-luna', google: 'gemini-2.5-flash' }[vendor];
  return {
    model,
    system: 'You are terse.',
    messages: [
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
      { role: 'user', content: 'What is the capital of France?' },
    ],
    maxTokens: 256,
    ...over,
  };
}

/** Starts a fake for the context's vendor (valid key preset), runs `fn`, and always closes it. */
export async function withFake(
  ctx: ContractContext,
  opts: Omit<FakeVendorOptions, 'vendor'>,
  fn: (fake: FakeVendor, provider: ModelProvider) => Promise<void>,
): Promise<void> {
  const fake = await startFakeVendor({ vendor: ctx.vendor, validKeys: [ctx.key], ...opts });
  try {
    await fn(fake, ctx.createProvider(fake.url));
  } finally {
    await fake.close();
  }
}

/** Kinds the router may retry; asserted so a misclassification cannot hide behind the right kind name. */
export const RETRYABLE_KINDS: readonly VendorErrorKind[] = ['rate_limit', 'overloaded', 'server', 'timeout', 'stream_cut', 'bad_response', 'network'];

function assertNoKey(err: VendorError, key: string): void {
  const seen: string[] = [];
  for (let e: unknown = err; e instanceof Error && seen.length < 5; e = e.cause) seen.push(`${e.message}\n${e.stack ?? ''}`);
  seen.push(JSON.stringify({ ...err, message: err.message }));
  for (const text of seen) expect(text).not.toContain(key);
}

/**
 * Awaits a call that must fail and checks it failed as a VendorError of `kind`, for this
 * vendor, with the retryable flag the kind implies and no trace of the key.
 */
export async function expectVendorError(ctx: ContractContext, call: Promise<unknown>, kind: VendorErrorKind): Promise<VendorError> {
  const outcome = await call.then(
    (value: unknown) => ({ ok: true as const, value }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  if (outcome.ok) throw new Error(`expected a ${kind} VendorError, got success: ${JSON.stringify(outcome.value)}`);
  const err = outcome.err;
  if (!(err instanceof VendorError)) throw err;
  expect({ kind: err.kind, vendor: err.vendor }, err.message).toEqual({ kind, vendor: ctx.vendor });
  expect(err.code).toBe(`${ctx.vendor}_${kind}`);
  expect(err.retryable).toBe(RETRYABLE_KINDS.includes(kind));
  assertNoKey(err, ctx.key);
  return err;
}
