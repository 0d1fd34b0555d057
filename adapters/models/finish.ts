import type { FinishReason } from '../../src/shared/provider-spec.ts';

/** A unified finish reason with the vendor's own value kept beside it, for evidence. */
export interface MappedFinish {
  unified: FinishReason;
  raw: string | null;
}

/**
 * Maps a vendor's finish value through its table, keeping the raw value; a value the table does
 * not list (even one like `constructor`) goes to `unlisted`, which reads `other` by default.
 */
export function mapFinish(
  table: Readonly<Record<string, FinishReason>>,
  raw: string | null | undefined,
  unlisted: (raw: string) => FinishReason = () => 'other',
): MappedFinish {
  if (raw === null || raw === undefined) return { unified: 'other', raw: null };
  return { unified: Object.hasOwn(table, raw) ? table[raw]! : unlisted(raw), raw };
}
