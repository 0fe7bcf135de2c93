import { z } from 'zod';
import type { SegmentPart } from './artifacts/segments';

/**
 * The decomposition tree's one call: a node of a segments run (the whole, or a conjunction of
 * dimension = value pairs) split by one dimension it does not fix, with the dimensions it could
 * split by ranked by how much of the change their largest part explains.
 */
export const SegmentSplitRequestSchema = z
  .object({
    runId: z.string().min(1),
    /** The node: empty for the whole change. */
    node: z
      .array(z.object({ dimension: z.string().min(1), value: z.string() }).strict())
      .max(64)
      .default([]),
    /** The dimension to split by; unset: the one that explains most (the first of `ranked`). */
    dimension: z.string().min(1).optional(),
  })
  .strict();

export interface RankedDimension {
  dimension: string;
  /** The contribution of its largest part (by size), what "explains most" ranks by. */
  largest: number;
  /** How many parts the node splits into by it. */
  parts: number;
}

export interface SegmentSplit {
  /** The node itself: its metric on each side, its contribution and share of the whole change. */
  node: SegmentPart;
  /** Every dimension the node does not fix, the one whose largest part is largest first. */
  ranked: RankedDimension[];
  /** The dimension split by; null when every dimension is already fixed (a leaf). */
  dimension: string | null;
  /** The node's parts by that dimension, the largest contribution first; they add up to the node's contribution. */
  children: SegmentPart[];
}

export const SegmentSplitSchema = z.custom<SegmentSplit>(
  (v) => typeof v === 'object' && v !== null && Array.isArray((v as { children?: unknown }).children),
  'not a split of a segment',
);
