import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition, SegmentsArtifact } from '../../../src-shared/artifacts/segments';

/**
 * What a decomposition tree drills into: a run whose cube the workbench keeps (a "Where it
 * changed" run, or a guided investigation), its whole change at the root, and where its parts'
 * rows are. The tree asks `segments.split` for every level.
 */
export interface TreeSubject {
  runId: string;
  metric: string;
  metricKind: SegmentsArtifact['metric_kind'];
  /** The root: the metric on each side and its change. */
  whole: { base: number | null; current: number | null; change: number; changePct: number | null };
  /** The run's root causes (marked in the tree); null: the run has none to mark. */
  rootCauses: SegmentsArtifact['root_causes'] | null;
  /** The rows the cube was summed from (an investigation --where): the root is "within" them, and a part's rows are within them too. */
  within: SegmentCondition[];
  /** The dataset whose rows a part opens in the preview; null: none can be shown. */
  rows: { datasetId: string; title: string } | null;
  /**
   * Opens the tree at a node when set (or set again): each level of `path` split by its next
   * dimension with the part selected, the last node split by `then` (null: the dimension that
   * explains most). A new object each time, so the same node can be opened twice.
   */
  openAt?: { path: SegmentCondition[]; then: string | null } | null;
}

/** A "Where it changed" run: rows from its dataset unless it compared two files. */
export function segmentsSubject(
  a: SegmentsArtifact,
  run: { id: string; datasetId: string | null; title: string } | null,
): TreeSubject | null {
  if (!run) return null;
  return {
    runId: run.id,
    metric: a.metric,
    metricKind: a.metric_kind,
    whole: { base: a.base_value, current: a.current_value, change: a.change, changePct: a.change_pct },
    rootCauses: a.root_causes,
    within: [],
    rows: run.datasetId != null && a.comparison.mode !== 'files' ? { datasetId: run.datasetId, title: run.title } : null,
  };
}

/** A guided investigation: a sum of the metric; its rows from the dataset it names (the new snapshot's, of two). */
export function investigationSubject(
  a: InvestigationArtifact,
  run: { id: string; title: string },
  rowsDatasetId: string | null,
  openAt: TreeSubject['openAt'],
): TreeSubject {
  return {
    runId: run.id,
    metric: a.metric,
    metricKind: 'sum',
    whole: { base: a.totals.base_metric, current: a.totals.new_metric, change: a.totals.delta_metric, changePct: a.totals.delta_pct },
    rootCauses: null,
    within: a.where,
    rows: rowsDatasetId ? { datasetId: rowsDatasetId, title: run.title } : null,
    openAt,
  };
}
