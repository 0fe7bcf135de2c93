import type { SuggestOptions } from '../../../src-shared/suggest-options';
import { SUGGEST_SCHEMA, type SuggestArtifact, type SuggestColumn } from '../../../src-shared/artifacts/suggest';
import type { Source } from '../../../src-shared/analyze-options';
import { withScan } from '../../services/sources/scan';
import { AppError } from '../../../src-shared/errors';
import { inferRole, isIdLikeForSuggest, suggest } from './roles';

export type { SuggestOptions };

/** Profiles a sample of the table (where it lives) and suggests an analyze profile for it. */
export async function runSuggest(source: string | Source, options: SuggestOptions, inputLabel?: string): Promise<SuggestArtifact> {
  const src: Source = typeof source === 'string' ? { kind: 'file', path: source } : source;
  return withScan(src, async (scan) => {
    const d = scan.dialect;
    const rows = Number((await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`))[0]?.n ?? 0);
    if (rows === 0) throw new AppError('NO_DATA_ROWS', `${scan.label} has a header but no data rows`, 'Add rows below the header, or open a different file.');
    const sample = scan.sample(options.sampleRows, options.sampleMode === 'head' ? null : options.sampleSeed);
    // DuckDB keeps the sample in a temporary table; a read-only Postgres session names it in each query.
    if (scan.run) await scan.run(`CREATE OR REPLACE TEMP TABLE fl_sample AS ${sample}`);
    else scan.define('fl_sample', sample);
    const stats = scan.columns.flatMap((name, i) => {
      const c = d.text(name);
      const filled = `coalesce(trim(${c}), '') <> ''`;
      return [
        `count(*) FILTER (WHERE ${filled}) AS f${i}`,
        `count(${d.number(name)}) FILTER (WHERE ${filled}) AS n${i}`,
        `count(*) FILTER (WHERE ${d.matches(`trim(${c})`, '^\\d{4}-\\d{2}-\\d{2}')} AND ${d.date(name)} IS NOT NULL) AS d${i}`,
        `count(DISTINCT trim(${c})) FILTER (WHERE ${filled}) AS u${i}`,
      ];
    });
    const [row] = (await scan.rows(`SELECT count(*) AS sampled, ${stats.join(', ')} FROM fl_sample`)) as [Record<string, number>];
    const top = scan.columns.map((name, i) => {
      const c = d.text(name);
      return `(SELECT ${i} AS i, trim(${c}) AS v, count(*) AS n FROM fl_sample WHERE coalesce(trim(${c}), '') <> '' GROUP BY 2)`;
    });
    const topRows = await scan.rows(
      `SELECT i, v, n FROM (SELECT i, v, n, row_number() OVER (PARTITION BY i ORDER BY n DESC, v) AS rk FROM (${top.join(' UNION ALL ')}) AS fl_u) AS fl_t WHERE rk <= 5 ORDER BY i, n DESC, v`,
    );
    const sampled = Number(row.sampled);
    const columns: SuggestColumn[] = scan.columns.map((name, i) => {
      const nonEmpty = Number(row[`f${i}`]);
      const base = {
        name,
        non_empty: nonEmpty,
        fill_pct: sampled === 0 ? 0 : (nonEmpty * 100) / sampled,
        distinct_count: Number(row[`u${i}`]),
        numeric_ratio: nonEmpty === 0 ? 0 : Number(row[`n${i}`]) / nonEmpty,
        date_ratio: nonEmpty === 0 ? 0 : Number(row[`d${i}`]) / nonEmpty,
      };
      return {
        ...base,
        inferred_role: inferRole(base),
        id_like: isIdLikeForSuggest(name),
        top_values: topRows.filter((t) => Number(t.i) === i).map((t) => [String(t.v), Number(t.n)] as [string, number]),
      };
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
