import { cliKeySet, type ChatWords } from '../../../src/chat/chat-words.ts';
import { ENV_KEY_VARS } from '../../../src/keys/env-key-vars.ts';
import { VENDORS } from '../../../src/shared/provider-spec.ts';

/**
 * The terminal's words in Hive's messages: whoever runs it is the operator, flags are typed, and a
 * key comes from the CLI or the environment, as the terminal has no private form to type one into.
 */
export const TERMINAL_WORDS: ChatWords = {
  admins: 'the operator',
  option: (flag) => `--${flag}`,
  addKey: (workspaceId, vendor) => {
    const vars = (vendor ? [vendor] : VENDORS).map((v) => ENV_KEY_VARS[v]).join(', ');
    return `${cliKeySet(workspaceId, vendor)} at a shell, or ${vars} in Hive's environment (then restart)`;
  },
};
