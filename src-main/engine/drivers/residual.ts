import type { DecompositionMethod, ResidualSignal } from '../../../src-shared/artifacts/drivers';
import { formatSigned } from '../../../src-shared/format';
import type { SqlDialect } from '../../sources/dialect';
import type { ColumnProfile } from '../../sources/profile';
import type { Scan } from '../../sources/scan';
import { quoteLiteral } from '../../sources/sql';

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

/** Numeric columns correlated with the residual per query, and text columns grouped per query (one query over every column of a wide table takes DuckDB long to plan). */
const NUMERIC_PER_QUERY = 128;
/** Findings reported with the exact methods (the seed's three otherwise). */
const MAX_SIGNALS = 5;
const TEXT_PER_QUERY = 32;

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, k) => items.slice(k * size, (k + 1) * size));

export async function residualSignals(scan: Pick<Scan, 'rows' | 'dialect'>, q: ResidualQuery): Promise<ResidualSignal[]> {
  const d = scan.dialect;
  const seed = q.method === 'seed';
  if (seed ? Math.abs(q.residualPct) < 0.5 && Math.abs(q.residualAmount) < 10_000 : Math.abs(q.residualPct) < 0.1) return [];
  const left = q.columns.filter((c) => !q.exclude.has(c.name) && !/date|time/i.test(c.name));
  const numeric = left.filter((c) => c.type === 'number');
  const text = left.filter((c) => c.type !== 'number');
  /** The rows the identity prices: residual e, then the given columns (numbers v0…, texts c0…). */
  const rowsWith = (nums: ColumnProfile[], texts: ColumnProfile[]) => {
    const cols = [
      ...nums.map((c, i) => `${d.number(c.name)} AS v${i}`),
      ...texts.map((c, i) => `nullif(trim(${d.text(c.name)}), '') AS c${i}`),
    ];
    const names = [...nums.map((_, i) => `v${i}`), ...texts.map((_, i) => `c${i}`)];
    return `(SELECT (y - ${q.yhat}) AS e${names.length ? `, ${names.join(', ')}` : ''} FROM (SELECT ${q.inner}${cols.length ? `, ${cols.join(', ')}` : ''} FROM fl_frames) AS fl_r WHERE ${q.fit}) AS fl_e`;
  };

  const [overall] = await scan.rows(`SELECT count(*) AS n, stddev_samp(e) AS sd FROM ${rowsWith([], [])}`);
  const total = Number(overall?.n ?? 0);
  const sd = Number(overall?.sd ?? 0);
  const signals: ResidualSignal[] = [];

  for (const chunk of chunks(numeric, NUMERIC_PER_QUERY)) {
    const [r] = await scan.rows(
      `SELECT ${chunk.map((_, i) => `corr(v${i}, e) AS r${i}, count(v${i}) AS n${i}`).join(', ')} FROM ${rowsWith(chunk, [])}`,
    );
    chunk.forEach((c, i) => {
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

  const best: ResidualSignal[] = [];
  for (const chunk of chunks(text, TEXT_PER_QUERY)) {
    const sets = chunk.map((_, i) => `(c${i})`).join(', ');
    const grouping = chunk.map((_, i) => `GROUPING(c${i}) AS g${i}`).join(', ');
    const groups = await scan.rows(
      `SELECT ${chunk.map((_, i) => `c${i}`).join(', ')}, ${grouping}, count(*) AS n, ${d.sum('e')} AS s FROM ${rowsWith([], chunk)} GROUP BY GROUPING SETS (${sets})`,
    );
    chunk.forEach((c, i) => {
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
  }
  if (text.length > 0) signals.push(...(seed ? best : await mergeSameRows(scan, best, MAX_SIGNALS)));
  return signals.sort(byScoreThenName).slice(0, seed ? 3 : MAX_SIGNALS);
}

/**
 * Findings on different columns that select exactly the same rows become one finding. Only the
 * first `limit` findings (and any tied with the last) are needed, so the rest are not checked;
 * a finding's look-alikes (same rows, same residual) are checked in one query per few dozen.
 */
async function mergeSameRows(scan: Pick<Scan, 'rows' | 'dialect'>, found: ResidualSignal[], limit: number): Promise<ResidualSignal[]> {
  const out: ResidualSignal[] = [];
  const used = new Set<number>();
  const sorted = [...found].sort(byScoreThenName);
  const cond = (s: ResidualSignal) => condition(s.name, scan.dialect);
  for (let i = 0; i < sorted.length; i++) {
    if (used.has(i)) continue;
    const a = sorted[i]!;
    if (out.length >= limit && a.score < out[out.length - 1]!.score) break;
    const alike: number[] = [];
    for (let j = i + 1; j < sorted.length; j++) {
      const b = sorted[j]!;
      if (
        !used.has(j) &&
        b.rows === a.rows &&
        Math.abs((b.total_residual ?? 0) - (a.total_residual ?? 0)) <= 1e-6 * Math.max(1, Math.abs(a.total_residual ?? 0))
      )
        alike.push(j);
    }
    const group = [a];
    if (alike.length > 0) {
      // When a's value holds no other rows of the frames than its own, "a and b hold the same
      // rows" is one count per look-alike, all in one scan; otherwise each is checked against the
      // group so far, one query each (as the rows that join the group narrow it).
      const counts = await countBoth(
        scan,
        a,
        alike.map((j) => sorted[j]!),
        cond,
      );
      for (const [k, j] of alike.entries()) {
        const b = sorted[j]!;
        let same = counts.both[k] === a.rows;
        if (counts.alone !== a.rows && same) {
          const [r] = await scan.rows(`SELECT count(*) AS n FROM fl_frames WHERE ${[...group, b].map(cond).join(' AND ')}`);
          same = Number(r?.n) === a.rows;
        }
        if (same) {
          group.push(b);
          used.add(j);
        }
      }
    }
    if (group.length === 1) out.push(a);
    else {
      const names = group.map((s) => s.name).sort();
      out.push({
        ...a,
        name: names.join(', '),
        detail: `${a.detail}: the same ${a.rows} rows`,
        same_rows_as: names.map((n) => n.split(' = ')[0]!),
      });
    }
  }
  return out;
}

const PAIRS_PER_QUERY = 50;

/** Rows of the frames that a's value selects, and that it selects together with each of `others`. */
async function countBoth(
  scan: Pick<Scan, 'rows'>,
  a: ResidualSignal,
  others: ResidualSignal[],
  cond: (s: ResidualSignal) => string,
): Promise<{ alone: number; both: number[] }> {
  const both: number[] = [];
  let alone = 0;
  for (let at = 0; at < others.length; at += PAIRS_PER_QUERY) {
    const chunk = others.slice(at, at + PAIRS_PER_QUERY);
    const [r] = await scan.rows(
      `SELECT count(*) AS n, ${chunk.map((b, k) => `count(*) FILTER (WHERE ${cond(b)}) AS b${k}`).join(', ')} FROM fl_frames WHERE ${cond(a)}`,
    );
    alone = Number(r?.n);
    chunk.forEach((_, k) => both.push(Number(r?.[`b${k}`])));
  }
  return { alone, both };
}

function condition(signalName: string, d: SqlDialect): string {
  const at = signalName.indexOf(' = ');
  return `trim(${d.text(signalName.slice(0, at))}) = ${quoteLiteral(signalName.slice(at + 3))}`;
}
