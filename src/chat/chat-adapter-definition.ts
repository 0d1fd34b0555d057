import type { EnvVars } from '../shared/env-fields.ts';
import type { ChatAdapter } from './chat-adapter.ts';
import type { ChatAnswerer } from './answerer.ts';
import type { JobAddressCodec } from './address-codec.ts';
import type { ChatHost } from './chat-host.ts';

/**
 * One registry entry per chat platform: its own environment parsing and how to build it, so
 * adding a platform is a folder under adapters/chat/ plus one registration line, never a core edit.
 */
export interface ChatAdapterDefinition<C = unknown> {
  readonly name: string;
  /** Parses this platform's variables, pushing every problem (never throwing); undefined when none is set. */
  parseEnv(env: EnvVars, problems: string[]): C | undefined;
  /** The settings' secret values, scrubbed from every log line from the first one. */
  secrets(config: C): (string | undefined)[];
  /** Whether start-up runs this platform (normally: its variables are set). */
  enabled(config: C | undefined): boolean;
  /** Set for a platform that is recognised but not part of this build: start-up refuses with this. */
  unavailable?: string;
  /** Talks over the process's stdin and stdout, so logs go to stderr. */
  stdio?: boolean;
  create(host: ChatHost, config: C): Promise<ChatAdapter>;
  /**
   * Optional: the platform without intake, for a worker process (scale-out): answers queued jobs
   * and posts digests through the platform's APIs. Platforms without it run in one process only.
   */
  createAnswerer?(host: ChatHost, config: C): Promise<ChatAnswerer>;
  /**
   * With `createAnswerer`: the codec of this platform's reply address, which its intake encodes and
   * its answerer decodes; loaded on demand like the platform, so the contract suite finds every one.
   */
  jobAddressCodec?(): Promise<JobAddressCodec<unknown>>;
}

/** The platforms start-up runs: every enabled one, or the fallback (the terminal) when none is. */
export function chooseChatAdapters(
  all: readonly ChatAdapterDefinition[],
  fallback: ChatAdapterDefinition,
  configs: Readonly<Record<string, unknown>>,
): ChatAdapterDefinition[] {
  const enabled = all.filter((d) => d.enabled(configs[d.name]));
  return enabled.length > 0 ? enabled : [fallback];
}
