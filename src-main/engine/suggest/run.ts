import type { SuggestOptions } from '../../../src-shared/suggest-options';
import { SUGGEST_SCHEMA, type SuggestArtifact, type SuggestColumn } from '../../../src-shared/artifacts/suggest';
import type { Source } from '../../../src-shared/analyze-options';
import { withScan, type Scan } from '../../sources/scan';
import { AppError } from '../../../src-shared/errors';
import { duckdbNumberReader } from '../../sources/profile';
import { inferRole, isIdLikeForSuggest, suggest } from './roles';
import { readSuggestSample } from './sample-rows';
import { statsInSql, statsOfCsvSample, type SampleStats } from './sample-stats';

export type { SuggestOptions };

/**
 * Profiles a sample of the table and suggests an analyze profile for it. A plain CSV file's
 * sample is read and counted in JavaScript (any number of columns); other files and Postgres
 * queries are counted in SQL where the rows live, a few columns per query.
 */
export async function runSuggest(source: string | Source, options: SuggestOptions, inputLabel?: string): Promise<SuggestArtifact> {
  const src: Source = typeof source === 'string' ? { kind: 'file', path: source } : source;
  return withScan(src, async (scan) => {
    const { rows, stats } = await sampleStats(scan, src, options);
    const sampled = stats.sampled;
    const columns: SuggestColumn[] = scan.columns.map((name, i) => {
      const s = stats.columns[i]!;
      const base = {
        name,
        non_empty: s.nonEmpty,
        fill_pct: sampled === 0 ? 0 : (s.nonEmpty * 100) / sampled,
        distinct_count: s.distinct,
        numeric_ratio: s.nonEmpty === 0 ? 0 : s.numeric / s.nonEmpty,
        date_ratio: s.nonEmpty === 0 ? 0 : s.isoDates / s.nonEmpty,
      };
      return { ...base, inferred_role: inferRole(base), id_like: isIdLikeForSuggest(name), top_values: s.topValues };
    });
    const s = suggest(columns, options.autoGroupK, options.maxMetrics);
    return {
      schema: SUGGEST_SCHEMA,
      kind: 'suggest',
      input: inputLabel ?? scan.label,
      rows,
      sampled_rows: sampled,
      sample_mode: options.sampleMode,
      sample_seed: options.sampleSeed,
      profile_name: options.profileName,
      profile_path: null,
      suggested_group_by: s.groupBy,
      suggested_metrics: s.metrics,
      suggested_rank_by: s.rankBy,
      suggested_date_column: s.dateColumn,
      warnings: [...scan.notices, ...s.warnings],
      columns,
    };
  });
}

/** The table's rows and the sample's stats: of a plain CSV file in JavaScript, else in SQL (the same rows either way). */
async function sampleStats(scan: Scan, src: Source, options: SuggestOptions): Promise<{ rows: number; stats: SampleStats }> {
  const noRows = () =>
    new AppError('NO_DATA_ROWS', `${scan.label} has a header but no data rows`, 'Add rows below the header, or open a different file.');
  const countRows = async () => {
    const rows = Number((await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`))[0]?.n ?? 0);
    if (rows === 0) throw noRows();
    return rows;
  };
  const seed = options.sampleMode === 'head' ? null : options.sampleSeed;
  if (src.kind === 'file') {
    const { fileRows, sample } = await readSuggestSample(scan, src.path, options.sampleRows, seed, countRows);
    if (sample) {
      if (fileRows === 0) throw noRows();
      return {
        rows: fileRows,
        stats: await statsOfCsvSample(
          sample,
          duckdbNumberReader((sql) => scan.rows(sql)),
        ),
      };
    }
    return { rows: fileRows, stats: await statsInSql(scan, scan.sample(options.sampleRows, seed)) };
  }
  return { rows: await countRows(), stats: await statsInSql(scan, scan.sample(options.sampleRows, seed)) };
}
