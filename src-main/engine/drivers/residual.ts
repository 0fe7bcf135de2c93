import type { DecompositionMethod, ResidualSignal } from '../../../src-shared/artifacts/drivers';
import { formatSigned } from '../../../src-shared/format';
import type { SqlDialect } from '../../services/sources/dialect';
import type { ColumnProfile } from '../../services/sources/profile';
import type { Scan } from '../../services/sources/scan';
import { quoteLiteral } from '../../services/sources/sql';

/**
 * Where the residual lives: the values of the other columns whose rows carry it. Row residuals
 * (metric minus the identity's prediction) are aggregated by DuckDB per column value and per
 * numeric column (correlation); only those small results reach JavaScript.
 */
export interface ResidualQuery {
  method: DecompositionMethod;
  residualPct: number;
  residualAmount: number;
  /** Select list reading y and the identity's terms (t0, t1, …) from fl_frames. */
  inner: string;
  yhat: string;
  fit: string;
  exclude: Set<string>;
  columns: ColumnProfile[];
}

const byScoreThenName = (a: ResidualSignal, b: ResidualSignal) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export async function residualSignals(scan: Pick<Scan, 'rows' | 'dialect'>, q: ResidualQuery): Promise<ResidualSignal[]> {
  const d = scan.dialect;
  const seed = q.method === 'seed';
  if (seed ? Math.abs(q.residualPct) < 0.5 && Math.abs(q.residualAmount) < 10_000 : Math.abs(q.residualPct) < 0.1) return [];
  const left = q.columns.filter((c) => !q.exclude.has(c.name) && !/date|time/i.test(c.name));
  const numeric = left.filter((c) => c.type === 'number');
  const text = left.filter((c) => c.type !== 'number');
  const cols = [...numeric.map((c, i) => `${d.number(c.name)} AS v${i}`), ...text.map((c, i) => `nullif(trim(${d.text(c.name)}), '') AS c${i}`)];
  const rows = `(SELECT (y - ${q.yhat}) AS e${cols.length ? `, ${cols.map((_, k) => (k < numeric.length ? `v${k}` : `c${k - numeric.length}`)).join(', ')}` : ''} FROM (SELECT ${q.inner}${cols.length ? `, ${cols.join(', ')}` : ''} FROM fl_frames) AS fl_r WHERE ${q.fit}) AS fl_e`;

  const [overall] = await scan.rows(`SELECT count(*) AS n, stddev_samp(e) AS sd FROM ${rows}`);
  const total = Number(overall?.n ?? 0);
  const sd = Number(overall?.sd ?? 0);
  const signals: ResidualSignal[] = [];

  if (numeric.length > 0) {
    const [r] = await scan.rows(`SELECT ${numeric.map((_, i) => `corr(v${i}, e) AS r${i}, count(v${i}) AS n${i}`).join(', ')} FROM ${rows}`);
    numeric.forEach((c, i) => {
      const corr = Number(r?.[`r${i}`]);
      const n = Number(r?.[`n${i}`] ?? 0);
      if (!Number.isFinite(corr) || n < 20) return;
      const t = Math.abs(corr) >= 1 ? Number.POSITIVE_INFINITY : (Math.abs(corr) * Math.sqrt(n - 2)) / Math.sqrt(1 - corr * corr);
      if (seed ? Math.abs(corr) < 0.3 : t < 3) return;
      signals.push({
        name: c.name,
        signal_type: 'numeric',
        score: seed ? Math.abs(corr) : t,
        detail: `${corr >= 0 ? 'higher' : 'lower'} values correlate with residual (corr=${corr >= 0 ? '+' : ''}${corr.toFixed(2)})`,
        rows: n,
        same_rows_as: [],
        mean_residual: null,
        total_residual: null,
      });
    });
  }

  if (text.length > 0) {
    const sets = text.map((_, i) => `(c${i})`).join(', ');
    const grouping = text.map((_, i) => `GROUPING(c${i}) AS g${i}`).join(', ');
    const groups = await scan.rows(`SELECT ${text.map((_, i) => `c${i}`).join(', ')}, ${grouping}, count(*) AS n, ${d.sum('e')} AS s FROM ${rows} GROUP BY GROUPING SETS (${sets})`);
    const best: ResidualSignal[] = [];
    text.forEach((c, i) => {
      let top: { value: string; n: number; s: number; score: number } | null = null;
      for (const g of groups) {
        if (Number(g[`g${i}`]) !== 0 || g[`c${i}`] === null) continue;
        const n = Number(g.n);
        const s = Number(g.s);
        const m = s / n;
        if (n < 3 || (!seed && n > total - 3)) continue;
        const score = seed ? Math.abs(m) * Math.sqrt(n) : sd > 0 ? Math.abs(m) / (sd / Math.sqrt(n)) : 0;
        const value = String(g[`c${i}`]);
        if (!top || score > top.score || (score === top.score && value < top.value)) top = { value, n, s, score };
      }
      if (!top) return;
      const m = top.s / top.n;
      if (seed ? Math.abs(m) < 1000 : top.score < 3) return;
      best.push({
        name: `${c.name} = ${top.value}`,
        signal_type: 'categorical',
        score: top.score,
        detail: `mean residual ${formatSigned(m)} (${top.n} rows)`,
        rows: top.n,
        same_rows_as: [],
        mean_residual: m,
        total_residual: top.s,
      });
    });
    signals.push(...(seed ? best : await mergeSameRows(scan, best)));
  }
  return signals.sort(byScoreThenName).slice(0, seed ? 3 : 5);
}

/** Findings on different columns that select exactly the same rows become one finding. */
async function mergeSameRows(scan: Pick<Scan, 'rows' | 'dialect'>, found: ResidualSignal[]): Promise<ResidualSignal[]> {
  const out: ResidualSignal[] = [];
  const used = new Set<number>();
  const sorted = [...found].sort(byScoreThenName);
  for (let i = 0; i < sorted.length; i++) {
    if (used.has(i)) continue;
    const a = sorted[i]!;
    const group = [a];
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (used.has(j) || b.rows !== a.rows || Math.abs((b.total_residual ?? 0) - (a.total_residual ?? 0)) > 1e-6 * Math.max(1, Math.abs(a.total_residual ?? 0))) continue;
      const both = [...group, b].map((s) => condition(s.name, scan.dialect)).join(' AND ');
      const [r] = await scan.rows(`SELECT count(*) AS n FROM fl_frames WHERE ${both}`);
      if (Number(r?.n) === a.rows) {
        group.push(b);
        used.add(j);
      }
    }
    if (group.length === 1) out.push(a);
    else {
      const names = group.map((s) => s.name).sort();
      out.push({ ...a, name: names.join(', '), detail: `${a.detail}: the same ${a.rows} rows`, same_rows_as: names.map((n) => n.split(' = ')[0]!) });
    }
  }
  return out;
}

function condition(signalName: string, d: SqlDialect): string {
  const at = signalName.indexOf(' = ');
  return `trim(${d.text(signalName.slice(0, at))}) = ${quoteLiteral(signalName.slice(at + 3))}`;
}
