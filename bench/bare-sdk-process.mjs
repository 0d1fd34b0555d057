// The floor Hive's process is compared with: plain Node (no tsx loader, like the compiled build)
// importing the three vendor SDKs and making one client each, and nothing else.
//   stdout `ready` once loaded; stdin `run <n> <url> [question]` starts n concurrent streamed OpenAI calls,
//   prints `started` once all are issued and `done <ok>` when all have ended; exits at end of stdin.
import readline from 'node:readline';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

const clients = {
  anthropic: new Anthropic({ apiKey: 'sk-ant-bench', maxRetries: 0 }),
  google: new GoogleGenAI({ apiKey: 'bench' }),
};
void clients;

async function one(client, question) {
  const s = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: question }],
    max_tokens: 2048,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  for await (const chunk of s) text += chunk.choices[0]?.delta?.content ?? '';
  return text;
}

async function run(n, url, question) {
  const client = new OpenAI({ apiKey: 'sk-bench-bare-0123456789abcdefgh', baseURL: url, maxRetries: 0 });
  const calls = Array.from({ length: n }, () => one(client, question));
  process.stdout.write('started\n');
  const results = await Promise.allSettled(calls);
  process.stdout.write(`done ${results.filter((r) => r.status === 'fulfilled').length}\n`);
}

readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [cmd, n, url, ...words] = line.trim().split(/\s+/);
    if (cmd === 'run') void run(Number(n), url, words.join(' ') || 'What is 6 times 7?');
  })
  .once('close', () => process.exit(0));
process.stdout.write('ready\n');
