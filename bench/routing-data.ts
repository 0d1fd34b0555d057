import fs from 'node:fs';
import path from 'node:path';
import { fnv1a } from '../src/routing/learned-lane.ts';

/** One prompt of a data set and each model's outcome on it (1 right, 0 wrong); answers feed the agreement check. */
export interface RoutingRow {
  id: string;
  prompt: string;
  outcomes: Record<string, number>;
  answers?: Record<string, string>;
}

/** A weak and a strong model on one data set; `weak2` is a second cheap model for the cheap-first agreement check. */
export interface RoutingPair {
  name: string;
  file: string;
  weak: string;
  strong: string;
  weak2?: string;
  /** RouteLLM's tables: an independent check, never trained or tuned on. */
  evalOnly?: boolean;
}

/** One prompt as a routing decision sees it: the text, both outcomes, and whether two cheap models agreed. */
export interface RoutingExample {
  key: string;
  prompt: string;
  weak: number;
  strong: number;
  agree?: boolean;
}

/** The pairs the training script learns from (train splits) and the bench replays (eval splits). */
export const ROUTING_PAIRS: readonly RoutingPair[] = [
  { name: 'mmlu-pro llama-3.1 8b→70b', file: 'mmlu-pro', weak: 'llama-3.1-8b-instruct', strong: 'llama-3.1-70b-instruct', weak2: 'gemini-1.5-flash-002' },
  { name: 'mmlu-pro gemini-1.5 flash→pro', file: 'mmlu-pro', weak: 'gemini-1.5-flash-002', strong: 'gemini-1.5-pro-002', weak2: 'llama-3.1-8b-instruct' },
  { name: 'theoremqa gpt-3.5→gpt-4', file: 'theoremqa', weak: 'gpt-3.5-turbo', strong: 'gpt-4', weak2: 'claude-instant-1' },
  { name: 'theoremqa claude-instant-1→2', file: 'theoremqa', weak: 'claude-instant-1', strong: 'claude-2', weak2: 'gpt-3.5-turbo' },
  { name: 'routellm gsm8k mixtral→gpt-4', file: 'routellm-gsm8k', weak: 'mixtral', strong: 'gpt-4', evalOnly: true },
  { name: 'routellm mmlu mixtral→gpt-4', file: 'routellm-mmlu', weak: 'mixtral', strong: 'gpt-4', evalOnly: true },
];

const DIR = path.join(import.meta.dirname, 'routing-data');
/** Share of each (non eval-only) data set held out for evaluation, by hashed id. */
const EVAL_TENTHS = 4;

/** Train or eval, fixed by a hash of the data set and id: the same prompt is on the same side for every pair. */
export function splitOf(file: string, id: string): 'train' | 'eval' {
  return fnv1a(`${file}:${id}`) % 10 < EVAL_TENTHS ? 'eval' : 'train';
}

/** Every row of a data set file under bench/routing-data/. */
export function loadRows(file: string, dir = DIR): RoutingRow[] {
  return fs
    .readFileSync(path.join(dir, `${file}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RoutingRow);
}

/** Two cheap answers agree when both gave one and it is the same. */
function agreement(row: RoutingRow, a: string, b: string): boolean | undefined {
  const x = row.answers?.[a];
  const y = row.answers?.[b];
  if (x === undefined || y === undefined) return undefined;
  return x !== '' && x !== 'null' && x === y;
}

/** A pair's examples on one side of the split; eval-only tables give all their rows as eval and none as train. */
export function pairExamples(pair: RoutingPair, side: 'train' | 'eval', rows = loadRows(pair.file)): RoutingExample[] {
  if (pair.evalOnly && side === 'train') return [];
  return rows
    .filter((r) => pair.evalOnly || splitOf(pair.file, r.id) === side)
    .map((r) => ({
      key: `${pair.file}:${r.id}`,
      prompt: r.prompt,
      weak: r.outcomes[pair.weak]!,
      strong: r.outcomes[pair.strong]!,
      ...(pair.weak2 ? { agree: agreement(r, pair.weak, pair.weak2) } : {}),
    }));
}
