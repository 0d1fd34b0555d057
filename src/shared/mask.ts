/** What a masked piece of a secret becomes: nothing of it is shown. */
export const HIDDEN = '••••';

/** Shows only the last four characters: enough to tell keys apart, useless to an attacker. */
export function mask(secret: string): string {
  if (secret.length <= 8) return HIDDEN;
  return `${HIDDEN}${secret.slice(-4)}`;
}
