import { linkedEvidenceId } from '../shared/footer-link.ts';

/** Everything the footer states; all of it also lives in the evidence record. */
export interface FooterData {
  /** Model ids that produced the answer (the last successful call first). */
  models: string[];
  lane: string;
  /** Short reason the lane was chosen: `default`, `--cheap`, `auto: summary`, … */
  laneReason: string;
  inputTokens: number;
  outputTokens: number;
  /** Total cost in USD of every call made for the answer; `undefined` when a price is unknown. */
  costUsd: number | undefined;
  /** Why part of the cost is estimated (a call cut off before the vendor reported its usage). */
  estimated?: string | undefined;
  latencyMs: number;
  evidenceId: string;
  /** The evidence page's signed address (`HIVE_PUBLIC_URL` set): the id becomes a link to it. */
  evidenceUrl?: string | undefined;
  /** The files the job read, counted once (`2 files, 14 pages`); absent when it read none. */
  files?: string | undefined;
  /** Extra facts such as `via openai (anthropic overloaded)` or `context trimmed`. */
  notes?: string[];
}

/** The model a footer names: the one that served the answer, and the one asked for when the vendor served (and bills) another. */
export function servedModelName(asked: string, answered: { pricedAs?: string } | undefined): string {
  return answered?.pricedAs ? `${answered.pricedAs} (asked ${asked})` : asked;
}

/** `1234567` → `1,234,567` (a hot path: cheaper than Intl for integers). */
export function groupThousands(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Renders the one-line footer; pure, so every platform shows the same truth. */
export function renderFooter(d: FooterData): string {
  const parts = [
    d.models.join(' + '),
    `${d.lane} (${d.laneReason})`,
    `${groupThousands(d.inputTokens)}→${groupThousands(d.outputTokens)} tok`,
    ...(d.files ? [d.files] : []),
    d.costUsd === undefined ? 'cost unknown' : d.estimated ? `≈${formatUsd(d.costUsd)} (estimated: ${d.estimated})` : formatUsd(d.costUsd),
    formatLatency(d.latencyMs),
    ...(d.notes ?? []),
    `evidence ${d.evidenceUrl ? linkedEvidenceId(d.evidenceId, d.evidenceUrl) : d.evidenceId}`,
  ];
  return parts.join(' · ');
}

/** Dollars with at least two significant digits, and never fewer than two decimals. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) return 'cost unknown';
  if (usd === 0) return '$0.00';
  // Far below any price a vendor charges per token; also keeps toFixed within its 100 digits.
  if (usd < 1e-10) return '<$0.0000000001';
  const decimals = Math.max(2, 1 - Math.floor(Math.log10(usd)));
  // Below a hundredth of a micro-dollar there is no exact nano-dollar amount to round; the float is all there is.
  if (decimals > 9) return `$${usd.toFixed(decimals)}`;
  const nano = BigInt(Math.round(usd * 1e9));
  const text = halfUp(nano, decimals);
  // Rounding can carry into a new leading digit (0.0999 → 0.100): drop the extra zero.
  const carried = Math.floor(Math.log10(Number(text))) !== Math.floor(Math.log10(usd)) && decimals > 2;
  return `$${carried ? halfUp(nano, decimals - 1) : text}`;
}

/**
 * Rounds an exact nano-dollar amount half-up to `decimals` places, in integers: the binary double
 * rounded $0.00155 down and $0.00305 up, so equal-looking amounts displayed differently.
 */
function halfUp(nano: bigint, decimals: number): string {
  const unit = 10n ** BigInt(9 - decimals);
  const digits = ((nano + unit / 2n) / unit).toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Milliseconds under a tenth of a second, else seconds with one decimal. */
export function formatLatency(ms: number): string {
  if (ms < 100) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}
