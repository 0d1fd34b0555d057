/**
 * Builds bench/routing-data/*.jsonl from files taken out of public repository snapshots
 * (see bench/routing-data/SOURCES.md for the exact commits and the commands that take them out).
 * Reads local files only; nothing is downloaded.
 *
 *   npx tsx scripts/extract-routing-data.ts --mmlu-pro <dir> --theoremqa <dir> --routellm <dir> [--out bench/routing-data]
 *
 * <dir> for MMLU-Pro holds the unzipped model_outputs_<model>_5shots.json files; for TheoremQA the
 * outputs/*.jsonl.corrected files; for RouteLLM the routellm/evals folder (gsm8k/, mmlu/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fnv1a } from '../src/routing/learned-lane.ts';

/** One prompt and each model's outcome on it (1 right, 0 wrong), with the model's answer when an agreement check needs it. */
interface Row {
  id: string;
  prompt: string;
  outcomes: Record<string, number>;
  answers?: Record<string, string>;
}

const MAX_PROMPT = 2000;
const clip = (s: string) => (s.length > MAX_PROMPT ? s.slice(0, MAX_PROMPT) : s);

function args(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i]!.replace(/^--/, '')] = argv[i + 1]!;
  return out;
}

function writeJsonl(file: string, rows: readonly Row[]): void {
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`${path.basename(file)}: ${rows.length} rows, ${(fs.statSync(file).size / 1e6).toFixed(2)} MB`);
}

interface MmluProItem {
  question_id: number | string;
  question: string;
  options: string | string[];
  answer: string;
  pred: string | null;
}

const MMLU_PRO_MODELS: Record<string, string> = {
  'llama-3.1-8b-instruct': 'Meta-Llama-3_1-8B-Instruct',
  'llama-3.1-70b-instruct': 'Meta-Llama-3_1-70B-Instruct',
  'gemini-1.5-flash-002': 'gemini-1.5-flash-002',
  'gemini-1.5-pro-002': 'gemini-1.5-pro-002',
};

/** Options are stored as a Python list literal; JSON.parse reads it once the quotes are made JSON's. */
function options(raw: string | string[]): string[] {
  if (Array.isArray(raw)) return raw;
  try {
    return JSON.parse(raw) as string[];
  } catch {
    return raw.slice(2, -2).split(/',\s*'|",\s*"|',\s*"|",\s*'/);
  }
}

/** MMLU-Pro: a third of the 12,032 questions (by hashed id, to stay small), the question with its lettered options. */
function mmluPro(dir: string): Row[] {
  const byModel = Object.entries(MMLU_PRO_MODELS).map(([name, file]) => {
    const items = JSON.parse(fs.readFileSync(path.join(dir, `model_outputs_${file}_5shots.json`), 'utf8')) as MmluProItem[];
    return [name, new Map(items.map((x) => [String(x.question_id), x]))] as const;
  });
  const [, first] = byModel[0]!;
  const rows: Row[] = [];
  for (const [id, item] of first) {
    if (fnv1a(`mmlu-pro:${id}`) % 3 !== 0 || !byModel.every(([, m]) => m.has(id))) continue;
    const opts = options(item.options).map((o, i) => `(${String.fromCharCode(65 + i)}) ${o}`);
    const outcomes: Record<string, number> = {};
    const answers: Record<string, string> = {};
    for (const [name, m] of byModel) {
      const x = m.get(id)!;
      outcomes[name] = x.pred === x.answer ? 1 : 0;
      answers[name] = x.pred ?? '';
    }
    rows.push({ id, prompt: clip(`${item.question}\n${opts.join('\n')}`), outcomes, answers });
  }
  return rows;
}

interface TheoremItem {
  id: string;
  question: string;
  prediction: unknown;
  correct: boolean;
}

const THEOREMQA_MODELS: Record<string, string> = {
  'gpt-3.5-turbo': 'ChatGPT_s0_e-1_05_13_10_25',
  'gpt-4': 'GPT4_s0_e-1_06_15_22_38',
  'claude-instant-1': 'anthropic_instant-v1_s0_e-1_05_27_09_42',
  'claude-2': 'anthropic_v2_s0_e-1_08_02_00_15',
};

/** TheoremQA: all 800 questions; `correct` is the repository's own grading of each model's answer. */
function theoremQa(dir: string): Row[] {
  const byModel = Object.entries(THEOREMQA_MODELS).map(([name, file]) => {
    const items = JSON.parse(fs.readFileSync(path.join(dir, `${file}.jsonl.corrected`), 'utf8')) as TheoremItem[];
    return [name, new Map(items.map((x) => [x.id, x]))] as const;
  });
  const [, first] = byModel[0]!;
  return [...first.values()]
    .filter((item) => byModel.every(([, m]) => m.has(item.id)))
    .map((item) => ({
      id: item.id,
      prompt: clip(item.question),
      outcomes: Object.fromEntries(byModel.map(([name, m]) => [name, m.get(item.id)!.correct ? 1 : 0])),
      answers: Object.fromEntries(byModel.map(([name, m]) => [name, JSON.stringify(m.get(item.id)!.prediction ?? null)])),
    }));
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (quoted || (c !== ',' && c !== '\n' && c !== '\r')) field += c;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    }
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

const ROUTELLM_WEAK = 'mistralai/Mixtral-8x7B-Instruct-v0.1';
const ROUTELLM_STRONG = 'gpt-4-1106-preview';

/** RouteLLM's tables, less the prompts its authors mark as contaminated; `keep` thins the large MMLU table. */
function routeLlm(files: readonly string[], contaminated: string, prefix: string, keep: (id: string) => boolean): Row[] {
  const skip = new Set(
    fs
      .readFileSync(contaminated, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { eval_prompt: string }).eval_prompt),
  );
  const rows: Row[] = [];
  for (const file of files) {
    const [header, ...body] = parseCsv(fs.readFileSync(file, 'utf8'));
    const [p, w, s] = ['prompt', ROUTELLM_WEAK, ROUTELLM_STRONG].map((c) => header!.indexOf(c));
    for (const r of body) {
      const prompt = r[p!] ?? '';
      if (!prompt || skip.has(prompt)) continue;
      const id = `${prefix}-${fnv1a(prompt).toString(16)}`;
      if (!keep(id)) continue;
      rows.push({ id, prompt: clip(prompt), outcomes: { mixtral: r[w!] === 'True' ? 1 : 0, 'gpt-4': r[s!] === 'True' ? 1 : 0 } });
    }
  }
  return rows;
}

function main(): void {
  const a = args(process.argv.slice(2));
  const out = a.out ?? 'bench/routing-data';
  fs.mkdirSync(out, { recursive: true });
  writeJsonl(path.join(out, 'mmlu-pro.jsonl'), mmluPro(a['mmlu-pro']!));
  writeJsonl(path.join(out, 'theoremqa.jsonl'), theoremQa(a.theoremqa!));
  const ev = a.routellm!;
  const gsm = routeLlm([path.join(ev, 'gsm8k/gsm8k_responses.csv')], path.join(ev, 'gsm8k/contaminated_prompts.jsonl'), 'gsm8k', () => true);
  writeJsonl(path.join(out, 'routellm-gsm8k.jsonl'), gsm);
  const mmluDir = path.join(ev, 'mmlu/responses');
  const mmluFiles = fs
    .readdirSync(mmluDir)
    .sort()
    .map((f) => path.join(mmluDir, f));
  const mmlu = routeLlm(mmluFiles, path.join(ev, 'mmlu/contaminated_prompts.jsonl'), 'mmlu', (id) => fnv1a(id) % 10 === 0);
  writeJsonl(path.join(out, 'routellm-mmlu.jsonl'), mmlu);
}

main();
