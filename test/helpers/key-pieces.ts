import { Buffer } from 'node:buffer';

/**
 * The pieces of a secret (runs of `n` characters) that a text gives away: written plainly, or inside
 * any base64 (standard or URL-safe) or hex decoding of its runs, from every offset.
 */
export function keyPieces(text: string, secret: string, n = 8): string[] {
  const readings = [text];
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{4,}/g)) for (let s = 0; s < 4; s++) readings.push(Buffer.from(m[0].slice(s), 'base64').toString('latin1'));
  for (const m of text.matchAll(/[0-9a-fA-F]{2,}/g)) for (let s = 0; s < 2; s++) readings.push(Buffer.from(m[0].slice(s), 'hex').toString('latin1'));
  const pieces = new Set<string>();
  for (let i = 0; i + n <= secret.length; i++) {
    const piece = secret.slice(i, i + n);
    if (readings.some((r) => r.includes(piece))) pieces.add(piece);
  }
  return [...pieces];
}
