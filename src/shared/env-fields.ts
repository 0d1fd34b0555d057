import { z } from 'zod';

/** The process environment as configuration reads it. */
export type EnvVars = Record<string, string | undefined>;

/** An optional variable: blank counts as unset. */
export const optionalVar = z.string().trim().min(1).optional();

/** An optional http(s) URL variable. */
export const urlVar = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional();

/**
 * Parses each variable on its own, so one bad value never hides another; every problem names its
 * variable and never echoes the value (it may be a secret).
 */
export function parseVars<S extends z.ZodRawShape>(env: EnvVars, shape: S, problems: string[]): z.infer<z.ZodObject<S>> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(shape)) {
    const raw = env[name];
    const value = raw === undefined || raw.trim() === '' ? undefined : raw;
    const r = (field as z.ZodType).safeParse(value);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join('; ')}`);
  }
  return out as z.infer<z.ZodObject<S>>;
}
