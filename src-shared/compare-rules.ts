/**
 * Which two analyze snapshots can be compared, the one rule for the engine (analyze-compare, the
 * workbench's compare call) and the compare form: both grouped by the same columns, and both
 * measuring the same primary metric. Otherwise their segments or values mean different things
 * and every "mover" would be an artefact of the settings. A snapshot that does not say (an
 * artifact of the original CLI) is taken as it is.
 */
export interface ComparedSettings {
  group_by?: string[] | null;
  primary_metric?: string | null;
}

export interface CompareMismatch {
  message: string;
  hint: string;
  /** The analyze option the two differ in. */
  option: 'groupBy' | 'metrics';
}

const listed = (cols: string[]) => (cols.length === 0 ? 'no column' : cols.join(', '));
const sameNames = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());

export function compareMismatch(
  base: ComparedSettings,
  next: ComparedSettings,
  labels: { base: string; new: string },
): CompareMismatch | null {
  if (base.group_by && next.group_by && !sameNames(base.group_by, next.group_by)) {
    return {
      message: `the two runs are grouped differently: '${labels.base}' by ${listed(base.group_by)}, '${labels.new}' by ${listed(next.group_by)}`,
      hint: 'Compare two analyze runs grouped by the same columns in the same order: run one of them again grouped like the other (Group by, or --group-by).',
      option: 'groupBy',
    };
  }
  const [pb, pn] = [base.primary_metric, next.primary_metric];
  if (pb && pn && pb.toLowerCase() !== pn.toLowerCase()) {
    return {
      message: `the two runs measure different metrics: '${labels.base}' ${pb}, '${labels.new}' ${pn}`,
      hint: 'Compare two analyze runs whose first metric is the same: run one of them again with the metrics of the other (Metrics, or --metrics).',
      option: 'metrics',
    };
  }
  return null;
}
