/** One benchmark's printed result: a table of figures plus the goal it is judged against. */
export interface BenchResult {
  name: string;
  rows: Record<string, string | number>[];
  /** Lines such as `goal: p99 ≤ 50 ms — met`. */
  verdicts: string[];
}
