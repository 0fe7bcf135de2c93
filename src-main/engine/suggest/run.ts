import type { SuggestOptions } from '../../../src-shared/suggest-options';
import { SUGGEST_SCHEMA, type SuggestArtifact, type SuggestColumn } from '../../../src-shared/artifacts/suggest';
import { csvRelation, csvScanError, inspectCsv, numericExpr } from '../../services/sources/csv';
import { queryRows, withConnection } from '../../services/sources/duckdb';
import { countRows } from '../../services/sources/profile';
import { quoteIdent } from '../../services/sources/sql';
import { AppError } from '../../../src-shared/errors';
import { inferRole, isIdLikeForSuggest, suggest } from './roles';

export type { SuggestOptions };

/**
 * The sample: the first N rows, or N rows picked by a seeded hash of their row number, so the
 * same seed gives the same rows on any machine and any number of threads.
 */
function sampleSql(relation: string, o: SuggestOptions): string {
  if (o.sampleMode === 'head') return `SELECT * FROM ${relation} LIMIT ${o.sampleRows}`;
  return `SELECT * EXCLUDE (fl_row) FROM (SELECT *, row_number() OVER () AS fl_row FROM ${relation}) ORDER BY hash(fl_row, ${o.sampleSeed}::UBIGINT), fl_row LIMIT ${o.sampleRows}`;
}

/** Profiles a sample of the table (in DuckDB) and suggests an analyze profile for it. */
export async function runSuggest(file: string, options: SuggestOptions, inputLabel?: string): Promise<SuggestArtifact> {
  const table = await inspectCsv(file);
  return withConnection(async (conn) => {
    try {
      const rows = await countRows(conn, table);
      if (rows === 0) throw new AppError('NO_DATA_ROWS', `${table.path} has a header but no data rows`, 'Add rows below the header, or open a different file.');
      await conn.run(`CREATE OR REPLACE TEMP TABLE fl_sample AS ${sampleSql(csvRelation(table), options)}`);
      const stats = table.columns.flatMap((name, i) => {
        const c = quoteIdent(name);
        const filled = `coalesce(trim(${c}), '') <> ''`;
        return [
          `count(*) FILTER (WHERE ${filled}) AS f${i}`,
          `count(${numericExpr(name)}) FILTER (WHERE ${filled}) AS n${i}`,
          `count(*) FILTER (WHERE regexp_matches(trim(${c}), '^\\d{4}-\\d{2}-\\d{2}') AND TRY_CAST(substr(trim(${c}), 1, 10) AS DATE) IS NOT NULL) AS d${i}`,
          `count(DISTINCT trim(${c})) FILTER (WHERE ${filled}) AS u${i}`,
        ];
      });
      const [row] = (await queryRows(conn, `SELECT count(*) AS sampled, ${stats.join(', ')} FROM fl_sample`)) as [Record<string, number>];
      const top = table.columns.map((name, i) => {
        const c = quoteIdent(name);
        return `(SELECT ${i} AS i, trim(${c}) AS v, count(*) AS n FROM fl_sample WHERE coalesce(trim(${c}), '') <> '' GROUP BY 2)`;
      });
      const topRows = await queryRows(conn, `SELECT i, v, n FROM (${top.join(' UNION ALL ')}) QUALIFY row_number() OVER (PARTITION BY i ORDER BY n DESC, v) <= 5 ORDER BY i, n DESC, v`);
      const sampled = Number(row.sampled);
      const columns: SuggestColumn[] = table.columns.map((name, i) => {
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
        input: inputLabel ?? file,
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
        warnings: s.warnings,
        columns,
      };
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw csvScanError(err, table);
    }
  });
}
