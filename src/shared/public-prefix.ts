/**
 * Beginnings that every key of a vendor shares, or that name public ids (a Slack token's team and
 * user numbers): a text carrying one of them carries nothing of anyone's key, so they never count
 * towards a partial match (else a question that merely mentions "sk-proj-" would be refused).
 */
const PUBLIC_PREFIXES: readonly RegExp[] = [
  /^sk-ant-[a-z]+\d*-/,
  /^sk-ant-/,
  /^sk-(?:proj|svcacct|admin)-/,
  /^sk-/,
  /^AIza/,
  /^xox[a-z]-(?:\d+-)*/,
  /^xoxe\.xox[a-z]-\d+-/,
  /^xapp-\d+-[A-Z0-9]+-(?:\d+-)?/,
];

/** How many leading characters of a secret are public (0 when it has no known prefix). */
export function publicPrefixLength(secret: string): number {
  let longest = 0;
  for (const p of PUBLIC_PREFIXES) longest = Math.max(longest, p.exec(secret)?.[0].length ?? 0);
  return longest;
}
