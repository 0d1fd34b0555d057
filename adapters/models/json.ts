/** Small readers for vendor JSON we do not trust to match the SDK types. */

/** Narrows unknown JSON to a plain object. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a string field from unknown JSON. */
export function str(v: unknown, key: string): string | undefined {
  if (!isRecord(v)) return undefined;
  const x = v[key];
  return typeof x === 'string' ? x : undefined;
}

/** Reads a finite number field from unknown JSON; missing or malformed counts as 0. */
export function num(v: unknown, key: string): number {
  if (!isRecord(v)) return 0;
  const x = v[key];
  return typeof x === 'number' && Number.isFinite(x) ? x : 0;
}

/** Drops undefined fields so optional properties stay absent rather than present-but-undefined. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
