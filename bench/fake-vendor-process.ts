import net from 'node:net';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Vendor } from '../src/shared/provider-spec.ts';
import { startFakeVendor } from '../test/fakes/fake-vendor.ts';
import { honestPoints } from '../test/fakes/digest-model.ts';
import type { FakeRateLimit } from '../test/fakes/types.ts';

/** What the parent asks of the fake: one vendor, a fixed answer and latency. */
export interface FakeProcessSpec {
  vendor: Vendor;
  latencyMs: number;
  /** Requests whose last user text contains this are answered at once (warm-ups before a long hold). */
  fastWhen?: string;
  text?: string;
  /** Per-key token buckets, with the vendor's own limit headers (Gemini: none, RetryInfo on 429). */
  rateLimit?: FakeRateLimit;
  /**
   * Answer like a digest model: points citing the first and last message ids of the request, and a
   * latency that grows with the input (`latencyMs` plus this many ms per 1,000 input tokens).
   */
  digestMsPerKiloToken?: number;
}

/** A digest model's answer to `text`: cited points, usage and a latency from the input's size. */
function digestAnswer(spec: FakeProcessSpec, text: string) {
  const input = Math.ceil(text.length / 4);
  return { text: honestPoints(text), usage: { input, output: 80 }, latencyMs: spec.latencyMs + (input / 1000) * (spec.digestMsPerKiloToken ?? 0) };
}

/** Listen queue for the fake: Node's default (511) overflows when 1,000 clients connect at once, and dropped connects retry only after seconds. */
const BACKLOG = 4096;

/** Makes `listen(port, host, cb)` (how the fake listens) ask for BACKLOG; in this process only. */
function deepenListenQueue(): void {
  const listen = net.Server.prototype.listen as (this: net.Server, ...args: unknown[]) => net.Server;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    const [port, host, cb] = args;
    if (typeof port === 'number' && typeof host === 'string' && typeof cb === 'function') return listen.call(this, { port, host, backlog: BACKLOG }, cb);
    return listen.apply(this, args);
  } as typeof net.Server.prototype.listen;
}

/**
 * A fake vendor in its own process, so its HTTP work never shares an event loop (or a heap) with
 * the process being measured. Prints `{"url":…}` once listening; answers each `stats` line on stdin
 * with `{"inFlight":…,"maxInFlight":…,"requests":…,"rateLimited":…}`; exits when stdin ends.
 */
async function serve(spec: FakeProcessSpec): Promise<void> {
  deepenListenQueue();
  const fake = await startFakeVendor({
    vendor: spec.vendor,
    ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
    respond: (r) =>
      spec.digestMsPerKiloToken !== undefined
        ? digestAnswer(spec, r.lastUserText)
        : {
            text: spec.text ?? 'forty-two',
            usage: { input: 20, output: 3 },
            latencyMs: spec.fastWhen && r.lastUserText.includes(spec.fastWhen) ? 0 : spec.latencyMs,
          },
  });
  let requests = 0;
  const countEvery = setInterval(() => {
    requests += fake.requests.length;
    fake.requests.length = 0; // the fake keeps every request; a long bench only needs the count
  }, 200);
  const print = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  print({ url: fake.url });
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === 'stats')
      print({ inFlight: fake.inFlight(), maxInFlight: fake.maxInFlight, requests: requests + fake.requests.length, rateLimited: fake.rateLimited() });
  });
  rl.once('close', () => {
    clearInterval(countEvery);
    void fake.close().then(() => process.exit(0));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  serve(JSON.parse(process.argv[2] ?? '{}') as FakeProcessSpec).catch((err: unknown) => {
    process.stderr.write(`fake vendor failed to start: ${String(err)}\n`);
    process.exit(1);
  });
}
