import { z } from 'zod';

/** Options of analyze-suggest (validated by the hosts; the engine takes them as they are). */
export const SuggestOptionsSchema = z.object({
  profileName: z.string().min(1).default('suggested'),
  autoGroupK: z.number().int().min(1).max(20).default(3),
  maxMetrics: z.number().int().min(1).max(20).default(3),
  sampleRows: z.number().int().min(1).default(2000),
  sampleMode: z.enum(['head', 'random']).default('head'),
  sampleSeed: z.number().int().min(0).default(42),
});
export type SuggestOptions = z.infer<typeof SuggestOptionsSchema>;
