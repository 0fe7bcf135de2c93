import type { SegmentCondition } from '../../../src-shared/artifacts/segments';

/** A key that names a segment whatever the order of its pairs (the tree names them in drill order, the artifact by dimension). */
export function segmentKey(conditions: readonly SegmentCondition[]): string {
  return JSON.stringify(
    [...conditions].sort((x, y) => (x.dimension < y.dimension ? -1 : x.dimension > y.dimension ? 1 : 0)).map((c) => [c.dimension, c.value]),
  );
}

/** Whether a part of the tree is one of the run's root causes. */
export function rootCauseMatcher(
  causes: readonly { segment: SegmentCondition[] }[],
): (segment: readonly SegmentCondition[] | null) => boolean {
  const keys = new Set(causes.map((c) => segmentKey(c.segment)));
  return (segment) => segment !== null && keys.has(segmentKey(segment));
}
