import type { ChatAdapterDefinition } from '../../../src/chat/chat-adapter-definition.ts';
import { createTerminalAdapter } from './terminal-adapter.ts';

/** The terminal's registry entry: no settings; the fallback when no platform is configured. */
export const terminalDefinition: ChatAdapterDefinition<Record<string, never>> = {
  name: 'terminal',
  parseEnv: () => ({}),
  secrets: () => [],
  // Chosen as the fallback, never because of a variable.
  enabled: () => false,
  stdio: true,
  async create(host) {
    // At an interactive terminal: a prompt and line editing, answers printed above the line being typed.
    const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
    return createTerminalAdapter({
      input: process.stdin,
      output: process.stdout,
      dispatcher: host.dispatcher,
      prompt: interactive,
      log: host.log,
      capture: host.capture,
      ...(host.logView ? { logView: host.logView } : {}),
    });
  },
};
