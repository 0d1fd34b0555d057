import { createAnthropicProvider } from '../../adapters/models/anthropic.ts';
import { createGoogleProvider } from '../../adapters/models/google.ts';
import { createOpenAIProvider } from '../../adapters/models/openai.ts';
import { runFileBlockContract } from './file-blocks.contract.ts';

runFileBlockContract({ vendor: 'anthropic', createProvider: (baseUrl) => createAnthropicProvider({ baseUrl }), model: 'claude-sonnet-5-5' });
runFileBlockContract({ vendor: 'openai', createProvider: (baseUrl) => createOpenAIProvider({ baseUrl }), model: 'gpt-6-luna' });
runFileBlockContract({ vendor: 'google', createProvider: (baseUrl) => createGoogleProvider({ baseUrl }), model: 'gemini-3.8-flash' });
