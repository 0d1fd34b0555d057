/** Shapes of credentials that must never leave the process in plaintext, even unregistered ones. */
const PATTERNS: readonly RegExp[] = [
  /sk-ant-[A-Za-z0-9_-]{8,}/g,
  /sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /AIza[0-9A-Za-z_-]{20,}/g,
  /xox[abposr]-[0-9A-Za-z-]{8,}/g,
  /xapp-[0-9A-Za-z-]{8,}/g,
];

const MIN_SECRET_LENGTH = 8;

/** Known secret values (keys, tokens) that the logger and error paths scrub from text. */
export interface SecretRegistry {
  add(secret: string | undefined): void;
  scrub(text: string): string;
  readonly size: number;
}

/** Creates a registry; every key Hive decrypts or reads is added so it can be scrubbed anywhere. */
export function createSecretRegistry(initial: readonly string[] = []): SecretRegistry {
  const secrets = new Set<string>();
  const registry: SecretRegistry = {
    add(secret) {
      if (secret !== undefined && secret.length >= MIN_SECRET_LENGTH) secrets.add(secret);
    },
    scrub(text) {
      let out = text;
      for (const s of secrets) if (out.includes(s)) out = out.split(s).join(mask(s));
      for (const p of PATTERNS) out = out.replace(p, (m) => mask(m));
      return out;
    },
    get size() {
      return secrets.size;
    },
  };
  for (const s of initial) registry.add(s);
  return registry;
}

/** Shows only the last four characters: enough to tell keys apart, useless to an attacker. */
export function mask(secret: string): string {
  if (secret.length <= 8) return '••••';
  return `••••${secret.slice(-4)}`;
}
