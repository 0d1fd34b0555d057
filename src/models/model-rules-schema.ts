import { z } from 'zod';

/**
 * What a model's API accepts, as data: sampling parameters, effort values, assistant prefill and
 * limits. Providers read it so they never send a request the vendor answers with HTTP 400.
 */
export const modelRulesSchema = z
  .object({
    /** `any`: temperature and friends are accepted; `never`: only the default (omit them); `effort-none`: only with effort `none`. */
    sampling: z.enum(['any', 'never', 'effort-none']),
    /** Effort values the API accepts, lowest first; empty when the model has no effort control. */
    efforts: z.array(z.string().regex(/^[a-z]+$/, 'must be a lower-case word')).default([]),
    /** The vendor's default effort, when the model has one. */
    defaultEffort: z.string().optional(),
    /** Whether the conversation may end with an assistant turn (a prefill). */
    prefill: z.boolean(),
    /** Whether manual extended thinking (a token budget) is accepted; Hive never sends it, the table records it. */
    manualThinking: z.boolean(),
    maxOutputTokens: z.number().int().positive().optional(),
    contextWindow: z.number().int().positive().optional(),
  })
  .strict()
  .refine((r) => r.defaultEffort === undefined || r.efforts.includes(r.defaultEffort), {
    message: 'defaultEffort must be one of efforts',
    path: ['defaultEffort'],
  });

/** One model's request rules. */
export type ModelRules = z.infer<typeof modelRulesSchema>;
