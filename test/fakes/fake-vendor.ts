import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Vendor } from '../../src/shared/provider-spec.ts';
import { anthropicWire } from './anthropic-wire.ts';
import { googleWire } from './google-wire.ts';
import { pause, readJsonBody, sendReply, sendStream } from './http-io.ts';
import { openaiWire } from './openai-wire.ts';
import { createFakeRateLimiter, type FakeRateLimiter } from './rate-limiter.ts';
import type { FakeBehaviour, FakeRateLimit, FakeRequest, FakeUsage, FakeVendor, FakeVendorOptions } from './types.ts';
import type { FakeRoute, VendorWire } from './wire.ts';
import { fakeFilesTokens, type FileScan } from './wire-files.ts';
import { estimateTokens, splitText } from './wire-util.ts';

/** Re-exported so tests import the fake from one entry point. */
export type { FakeBehaviour, FakeFileBlock, FakeRequest, FakeUsage, FakeVendor, FakeVendorOptions } from './types.ts';
export { fakeFileTokens, fakeFilesTokens, FILE_BLOCK_TOKENS, FILE_BYTES_PER_TOKEN } from './wire-files.ts';

const WIRES: Record<Vendor, VendorWire> = { anthropic: anthropicWire, openai: openaiWire, google: googleWire };

interface ServerCtx {
  opts: FakeVendorOptions;
  wire: VendorWire;
  limiter: FakeRateLimiter | undefined;
  requests: FakeRequest[];
  inFlight: number;
  maxInFlight: number;
  /** Each generate request's file scan, kept for its answer (a refusal) without decoding twice. */
  scans: WeakMap<FakeRequest, FileScan>;
}

function toFakeRequest(ctx: ServerCtx, req: IncomingMessage, url: URL, route: FakeRoute, body: unknown): FakeRequest {
  const { wire } = ctx;
  const generate = route.kind === 'generate';
  const scan = generate ? wire.files?.(body) : undefined;
  const fr: FakeRequest = {
    vendor: ctx.opts.vendor,
    method: req.method ?? 'GET',
    path: url.pathname,
    search: url.search,
    headers: req.headers,
    body,
    model: generate ? route.model || (wire.bodyModel(body) ?? '') : '',
    apiKey: wire.apiKey(req.headers, url),
    stream: generate && (route.stream || wire.bodyStream(body)),
    lastUserText: wire.lastUserText(body),
    promptText: wire.promptText(body),
    files: scan?.files ?? [],
    receivedAt: Date.now(),
  };
  if (scan) ctx.scans.set(fr, scan);
  return fr;
}

/** Input: the prompt text's estimate plus each file block by the rule in wire-files.ts (so a test can predict it exactly). */
function usageFor(ctx: ServerCtx, fr: FakeRequest, text: string, b: FakeBehaviour): FakeUsage {
  const input = estimateTokens(ctx.wire.promptText(fr.body)) + fakeFilesTokens(fr.files);
  return { input, output: estimateTokens(text), cacheRead: 0, cacheWrite: 0, cacheWrite1h: 0, reasoning: 0, ...b.usage };
}

/** The requests limit as vendors state it in their refusals: a whole number per minute (a 1/6-a-second key says 10). */
const perMinute = (l: FakeRateLimit | undefined): number => (l ? Math.round((l.requests * 60_000) / l.windowMs) : 0);

/** The rate limiter's time: the test's clock when it gave one (headers still carry real reset times). */
const limiterNow = (ctx: ServerCtx): number => (ctx.opts.now ?? Date.now)();

/** The key's limiter's verdict on a call, taken when it arrives (as vendors count calls), with when. */
type Counted = { limit: ReturnType<FakeRateLimiter['admit']> | undefined; at: number };

async function answer(ctx: ServerCtx, res: ServerResponse, fr: FakeRequest, route: FakeRoute, b: FakeBehaviour, counted: Counted): Promise<void> {
  const { wire, opts } = ctx;
  let headers = wire.baseHeaders();
  if (opts.validKeys && !opts.validKeys.includes(fr.apiKey)) return sendReply(res, wire.badKey(fr.apiKey), headers);
  const refused = route.kind === 'generate' ? (ctx.scans.get(fr)?.refusal ?? wire.refuseRequest?.(fr.model, fr.body)) : undefined;
  if (refused) return sendReply(res, refused, headers);
  const text = b.text ?? 'ok';
  const usage = usageFor(ctx, fr, text, b);
  const { limit } = counted;
  headers = { ...headers, ...(limit ? wire.limitHeaders(limit.state, counted.at) : {}), ...b.headers };
  if (limit && !limit.ok) return sendReply(res, wire.rateLimited(limit.retryAfterMs, fr.model, perMinute(opts.rateLimit)), headers);
  if (b.status !== undefined && b.status >= 400) {
    const { status, errorType, errorMessage, retryAfterMs, quota } = b;
    return sendReply(res, wire.error({ status, model: fr.model, errorType, errorMessage, retryAfterMs, quota }), headers);
  }
  if (route.kind === 'models') return sendReply(res, { status: 200, body: wire.models(opts.models ?? wire.defaultModels) }, headers);
  ctx.limiter?.recordOutput(fr.apiKey, usage.output, limiterNow(ctx));
  const finishReason = b.finishReason ?? wire.defaultFinish;
  const spec = { id: wire.newId(), responseModel: b.responseModel ?? fr.model, text, chunks: b.chunks ?? splitText(text), usage, finishReason };
  if (fr.stream) return sendStream(res, wire.stream(spec), b, headers);
  sendReply(res, { status: 200, body: wire.json(spec) }, headers);
}

async function handle(ctx: ServerCtx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  ctx.inFlight += 1;
  ctx.maxInFlight = Math.max(ctx.maxInFlight, ctx.inFlight);
  res.once('close', () => (ctx.inFlight -= 1));
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const body = await readJsonBody(req);
  const route = ctx.wire.route(req.method ?? 'GET', url);
  if (!route) {
    const reply = ctx.wire.error({ status: 404, model: '', errorMessage: `No route for ${req.method} ${url.pathname}` });
    return sendReply(res, reply, ctx.wire.baseHeaders());
  }
  const fr = toFakeRequest(ctx, req, url, route, body);
  ctx.requests.push(fr);
  const b = (await ctx.opts.respond?.(fr)) ?? {};
  if (b.hang) return; // left open until the client gives up or the fake closes
  // Vendors count a call when it arrives, and answer a refused one at once; the rest after their latency.
  const counted: Counted = { limit: admitOnArrival(ctx, fr, route, b), at: Date.now() };
  if (counted.limit && !counted.limit.ok) return answer(ctx, res, fr, route, b, counted);
  if (await pause(res, b.latencyMs ?? 0)) await answer(ctx, res, fr, route, b, counted);
}

/** The limiter's verdict for a generate call with a valid key, as it arrives; nothing for other calls. */
function admitOnArrival(ctx: ServerCtx, fr: FakeRequest, route: FakeRoute, b: FakeBehaviour): Counted['limit'] {
  if (route.kind !== 'generate' || !ctx.limiter) return undefined;
  if (ctx.opts.validKeys && !ctx.opts.validKeys.includes(fr.apiKey)) return undefined;
  return ctx.limiter.admit(fr.apiKey, usageFor(ctx, fr, b.text ?? 'ok', b).input, limiterNow(ctx));
}

/**
 * Starts a wire-accurate fake of one vendor's HTTP API on 127.0.0.1, so the real SDKs can be
 * driven end to end with no network and scripted failures.
 */
export async function startFakeVendor(opts: FakeVendorOptions): Promise<FakeVendor> {
  const wire = WIRES[opts.vendor];
  const limiter = opts.rateLimit ? createFakeRateLimiter(opts.rateLimit) : undefined;
  const ctx: ServerCtx = { opts, wire, limiter, requests: [], inFlight: 0, maxInFlight: 0, scans: new WeakMap() };
  const server = createServer((req, res) => {
    handle(ctx, req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake vendor failed: ${String(err)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${wire.basePath}`,
    requests: ctx.requests,
    inFlight: () => ctx.inFlight,
    get maxInFlight() {
      return ctx.maxInFlight;
    },
    rateLimited: () => limiter?.refusals() ?? { total: 0, afterFirstAnswer: 0 },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
