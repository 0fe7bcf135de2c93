/**
 * The workbench's words for the analysis options an error can point at (ErrorInfo.options):
 * each key as the form field that sets it is labelled. One map for every analysis; a key two
 * analyses share (dateColumn, metric) means the same field in both.
 */
export const OPTION_LABELS: Readonly<Record<string, string>> = {
  // Analyze (AnalyzeOptionsSchema) and its period comparison.
  groupBy: 'Group by',
  metrics: 'Metrics',
  rankBy: 'Rank segments by',
  agg: 'Metric per segment',
  where: 'Filters',
  whereIgnoreCase: 'Ignore case in filter values',
  top: 'Rows in report table',
  minRecords: 'Minimum records per segment',
  autoGroupK: 'Auto-detected groups at most',
  countOnly: 'Count only',
  percentiles: 'Percentile columns',
  normalizeTextGroups: 'Normalise name/title values',
  wordFreq: 'Top words of name/title columns',
  excludeBlankGroups: 'Leave out all-blank rows',
  topInsights: 'Top insights',
  opportunityMinRecords: 'Opportunity needs records',
  alertTop5Share: 'Top-5 record share',
  alertBlankShare: 'Blank-group share',
  alertRules: 'Alert rules',
  period: 'Compare periods',
  profile: 'Profile',
  grain: 'Time grain',
  anchorDate: 'Anchor date',
  // Drivers and Investigate.
  datasetId: 'Dataset',
  newDatasetId: 'New snapshot',
  metric: 'Metric to explain',
  dateColumn: 'Date column',
  // Factors and regression: the columns of prices in long form, and how 01/02/2000 reads.
  tickerColumn: 'Ticker column',
  priceColumn: 'Price column',
  dateOrder: 'Dates like 01/02/2000',
  windows: 'Periods',
  identity: 'Identity',
  method: 'Method',
  by: 'Mix/rate bridge by',
  drivers: 'Drivers',
  include: 'Drivers to include',
  exclude: 'Drivers to leave out',
  preset: 'Automatic drivers',
  auto: 'Automatic drivers',
  dedup: 'Skip correlated drivers',
  topDrivers: 'Top drivers',
  maxId: 'ID drivers at most',
  maxCat: 'Category drivers at most',
  maxNum: 'Numeric drivers at most',
  contributionView: 'Contribution view',
  // Where it changed (segments); `top` there is the number of named segments.
  aggregate: 'Metric per row',
  numerator: 'Numerator',
  denominator: 'Denominator',
  dimensions: 'Dimensions',
  maxDepth: 'Segments combine at most',
  expected: 'Expected values',
  inputNew: 'New snapshot',
  // Factors and Regression.
  weightsDatasetId: 'Portfolio weights',
  k: 'Number of factors',
  kAuto: 'Number of factors',
  basis: 'Matrix',
  missing: 'Days where a ticker has no price',
  includeWeekends: 'Weekends',
  factorsDatasetId: 'Factor returns',
  neweyWest: 'Standard errors',
};

/** "Check: Group by, Minimum records per segment" for the options of an error; null when it names none. */
export function fieldsToCheck(options: readonly string[] | undefined): string | null {
  if (!options || options.length === 0) return null;
  const labels = [...new Set(options.map((key) => OPTION_LABELS[key] ?? key))];
  return `Check: ${labels.join(', ')}`;
}
