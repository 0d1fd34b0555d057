import type { ChatAdapterDefinition } from '../../src/chat/chat-adapter-definition.ts';
import { discordDefinition } from './discord/definition.ts';
import { slackDefinition } from './slack/definition.ts';
import { terminalDefinition } from './terminal/definition.ts';

/** Every chat platform of this build, one registration line each; start-up runs the enabled ones. */
export const CHAT_ADAPTERS: readonly ChatAdapterDefinition[] = [slackDefinition, discordDefinition];

/** Runs when no platform is configured: the terminal on stdin/stdout. */
export const FALLBACK_CHAT_ADAPTER: ChatAdapterDefinition = terminalDefinition;
