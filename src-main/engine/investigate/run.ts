import { inverse, Matrix } from 'ml-matrix';
import type { ResidualSignal } from '../../../src-shared/artifacts/drivers';
import { INVESTIGATE_SCHEMA, type InvestigateArtifact, type InvestigateDriver } from '../../../src-shared/artifacts/investigate';
import { AppError } from '../../../src-shared/errors';
import { windowProblem, type Windows } from '../../../src-shared/periods';
import type { Source } from '../../../src-shared/analyze-options';
import { withScan } from '../../sources/scan';
import { quoteLiteral } from '../../sources/sql';
import { likelyDateColumn, readDateColumn, unreadableDatesWarning } from '../analyze/date-reading';
import { resolveColumn } from '../analyze/resolve';
import { residualSignals } from '../drivers/residual';
import { parseDriverExpr, type DriverExpr } from './driver-exprs';
import { selectDrivers, type SelectOptions } from './select';

export interface InvestigateRequest {
  input: string;
  metric: string;
  /** null: auto-detect (a column named like date/time whose cells are dates). */
  dateColumn: string | null;
  windows: Windows;
  drivers: string[];
  include: string[];
  exclude: string[];
  select: SelectOptions;
  contributionView: 'percent' | 'amount' | 'both';
  label?: string;
  /** A Postgres query instead of the `input` file. */
  source?: Source | null;
}

const pctOf = (part: number, whole: number) => (Math.abs(whole) < 1e-12 ? 0 : (part * 100) / Math.abs(whole));

export async function runInvestigate(req: InvestigateRequest): Promise<InvestigateArtifact> {
  const source: Source = req.source ?? { kind: 'file', path: req.input };
  return withScan(source, async (scan) => {
    const d = scan.dialect;
    const numericExpr = (c: string) => d.number(c);
    const profile = await scan.profile();
    const names = profile.columns.map((c) => c.name);
    const metric = resolveColumn(req.metric, names, 'metric', 'metric');
    let date: string;
    if (req.dateColumn) date = resolveColumn(req.dateColumn, names, 'date', 'dateColumn');
    else {
      const found = likelyDateColumn(profile.columns);
      if (!found)
        throw new AppError('BAD_ARGUMENT', 'no date column found for the period windows', 'Name the date column.', ['dateColumn']);
      date = found;
    }
    const problem = windowProblem(req.windows);
    if (problem)
      throw new AppError(
        'BAD_ARGUMENT',
        `period windows: ${problem}`,
        'Give each window as start <= end, YYYY-MM-DD, with the previous window before the current one.',
        ['windows'],
      );
    const relation = scan.relation;

    // Drivers: stated expressions, or the automatic selection; then include/exclude filters.
    const resolve = (n: string) => resolveColumn(n, names, 'driver', 'drivers');
    let drivers: DriverExpr[] =
      req.drivers.length > 0
        ? req.drivers.map((d) => parseDriverExpr(d, resolve))
        : await selectDrivers(scan, names, metric, date, req.select);
    const matches = (d: DriverExpr, pattern: string) =>
      [d.label, d.column ?? ''].some((x) => x.toLowerCase() === pattern.trim().toLowerCase());
    if (req.include.length > 0) drivers = drivers.filter((d) => req.include.some((p) => matches(d, p)));
    drivers = drivers.filter((d) => !req.exclude.some((p) => matches(d, p)));
    drivers = drivers.filter((d, i) => drivers.findIndex((x) => x.label === d.label) === i);
    if (drivers.length === 0)
      throw new AppError(
        'BAD_ARGUMENT',
        'no usable driver columns found',
        'Name the drivers yourself, for example "sum(orders),avg(avg_price_usd)".',
        ['drivers'],
      );

    // The date column's day/month order and its unreadable cells, from every row (as analyze reads it).
    const dates = await readDateColumn(scan, date);
    const day = d.date(date, dates.order);
    const { current, previous } = req.windows;
    const win = `(CASE WHEN fl_day BETWEEN DATE ${quoteLiteral(current.start)} AND DATE ${quoteLiteral(current.end)} THEN 'current' WHEN fl_day BETWEEN DATE ${quoteLiteral(previous.start)} AND DATE ${quoteLiteral(previous.end)} THEN 'previous' END)`;
    scan.define(
      'fl_win',
      `SELECT * FROM (SELECT *, ${win} AS fl_win FROM (SELECT *, ${day} AS fl_day FROM ${relation}) AS fl_d) AS fl_w WHERE fl_win IS NOT NULL`,
    );

    // Per-window totals of the metric and of every driver.
    const y = numericExpr(metric);
    const driverAgg = (x: DriverExpr, i: number) => {
      if (x.column === null) return `count(*) AS d${i}`;
      const c = d.text(x.column);
      if (x.fn === 'sum') return `coalesce(${d.sum(numericExpr(x.column))}, 0) AS d${i}`;
      if (x.fn === 'avg') return `coalesce(avg(${numericExpr(x.column)}), 0) AS d${i}`;
      if (x.fn === 'count') return `count(*) FILTER (WHERE coalesce(trim(${c}), '') <> '') AS d${i}`;
      return `count(DISTINCT trim(${c})) FILTER (WHERE coalesce(trim(${c}), '') <> '') AS d${i}`;
    };
    const totals = await scan.rows(
      `SELECT fl_win, count(*) AS rows, coalesce(${d.sum(y)}, 0) AS y, ${drivers.map(driverAgg).join(', ')} FROM fl_win GROUP BY 1`,
    );
    const cur = totals.find((t) => t.fl_win === 'current');
    const prev = totals.find((t) => t.fl_win === 'previous');
    if (!cur || !prev) {
      throw new AppError(
        'NO_DATA_ROWS',
        `period windows contain no comparable rows (current=${Number(cur?.rows ?? 0)}, previous=${Number(prev?.rows ?? 0)})`,
        'Pick period windows that hold data: check the anchor date, the period and the time grain.',
        ['windows'],
      );
    }
    const yCur = Number(cur.y);
    const yPrev = Number(prev.y);
    const changePct = pctOf(yCur - yPrev, yPrev);
    const value = (row: Record<string, unknown>, i: number) => Number(row[`d${i}`] ?? 0);

    const numericDrivers = drivers.map((x, i) => ({ x, i })).filter(({ x }) => (x.fn === 'sum' || x.fn === 'avg') && x.column !== null);
    const others = drivers.map((x, i) => ({ x, i })).filter(({ x }) => !(x.fn === 'sum' || x.fn === 'avg') || x.column === null);
    const dateWarning = unreadableDatesWarning(dates);
    const warnings: string[] = [...scan.notices, ...(dateWarning ? [dateWarning] : [])];

    // Regression: OLS with intercept on the rows of both windows, from sufficient statistics (X'X, X'y) that DuckDB sums.
    let regression: InvestigateArtifact['regression'] = null;
    let out: InvestigateDriver[] = [];
    let residualPct: number | null = null;
    let residualAmount: number | null = null;
    let signals: ResidualSignal[] = [];
    if (numericDrivers.length > 0) {
      const xs = numericDrivers.map(({ x }) => `coalesce(${numericExpr(x.column!)}, 0)`);
      const feats = ['1', ...xs.map((_, k) => `x${k}`)];
      const cross: string[] = [];
      feats.forEach((a, i) => feats.forEach((b, j) => j >= i && cross.push(`${d.sum(`${a} * ${b}`)} AS xx_${i}_${j}`)));
      const xy = feats.map((a, i) => `${d.sum(`${a} * y`)} AS xy_${i}`);
      const perWin = xs.map(
        (_, k) =>
          `coalesce(${d.sum(`x${k}`)} FILTER (WHERE fl_win = 'current'), 0) AS cx${k}, coalesce(${d.sum(`x${k}`)} FILTER (WHERE fl_win = 'previous'), 0) AS px${k}`,
      );
      const [m] = await scan.rows(
        `SELECT count(*) AS n, ${d.sum('y * y')} AS yy, ${d.sum('y')} AS sy, ${cross.join(', ')}, ${xy.join(', ')}, ${perWin.join(', ')},
           count(*) FILTER (WHERE fl_win = 'current') AS nc, count(*) FILTER (WHERE fl_win = 'previous') AS np,
           coalesce(${d.sum('y')} FILTER (WHERE fl_win = 'current'), 0) AS yc, coalesce(${d.sum('y')} FILTER (WHERE fl_win = 'previous'), 0) AS yp
         FROM (SELECT fl_win, ${y} AS y, ${xs.map((e, k) => `${e} AS x${k}`).join(', ')} FROM fl_win) AS fl_x WHERE y IS NOT NULL`,
      );
      const n = Number(m!.n);
      const p = feats.length;
      const XtX = Matrix.zeros(p, p);
      feats.forEach((_, i) => feats.forEach((__, j) => XtX.set(i, j, Number(m![`xx_${Math.min(i, j)}_${Math.max(i, j)}`]))));
      const Xty = Matrix.columnVector(feats.map((_, i) => Number(m![`xy_${i}`])));
      let inv: Matrix | null = null;
      if (n >= 20 && n > p) {
        try {
          inv = inverse(XtX);
          if (!inv.to1DArray().every(Number.isFinite)) inv = null;
        } catch {
          inv = null;
        }
      }
      if (inv) {
        const beta = inv.mmul(Xty).to1DArray();
        const sse =
          Number(m!.yy) -
          2 * beta.reduce((a, b, i) => a + b * Xty.get(i, 0), 0) +
          Matrix.rowVector(beta).mmul(XtX).mmul(Matrix.columnVector(beta)).get(0, 0);
        const sst = Number(m!.yy) - Number(m!.sy) ** 2 / n;
        const sigma2 = Math.max(0, sse) / (n - p);
        const se = beta.map((_, i) => Math.sqrt(Math.max(0, sigma2 * inv!.get(i, i))));
        const r2 = sst > 0 ? 1 - sse / sst : 0;
        // VIF of each driver from the correlation structure of X'X.
        const vifs = numericDrivers.map((_, k) => vif(XtX, n, k + 1));
        out = numericDrivers.map(({ x, i }, k) => {
          const amount = beta[k + 1]! * (Number(m![`cx${k}`]) - Number(m![`px${k}`]));
          return {
            name: x.label,
            contrib_pct: pctOf(amount, yPrev),
            delta: amount,
            previous: value(prev, i),
            current: value(cur, i),
            coefficient: beta[k + 1]!,
            std_error: se[k + 1]!,
            t_stat: se[k + 1]! > 0 ? beta[k + 1]! / se[k + 1]! : null,
          };
        });
        const explained = out.reduce((a, b) => a + b.delta, 0);
        residualAmount = Number(m!.yc) - Number(m!.yp) - explained;
        residualPct = changePct - pctOf(explained, yPrev);
        const maxVif = Math.max(0, ...vifs);
        if (maxVif >= 10)
          warnings.push(
            `The drivers are collinear (largest VIF ${maxVif.toFixed(1)}): their separate contributions are unstable; drop one of the related drivers.`,
          );
        regression = {
          rows: n,
          r_squared: r2,
          adj_r_squared: 1 - ((1 - r2) * (n - 1)) / (n - p),
          intercept: beta[0]!,
          intercept_std_error: se[0]!,
          intercept_effect: beta[0]! * (Number(m!.nc) - Number(m!.np)),
          max_vif: maxVif,
        };
        const yhat = `(${beta[0]} + ${numericDrivers.map((_, k) => `(${beta[k + 1]}) * t${k}`).join(' + ')})`;
        const inner = [`${y} AS y`, ...xs.map((e, k) => `${e} AS t${k}`)].join(', ');
        scan.define('fl_frames', 'SELECT * FROM fl_win');
        signals = await residualSignals(scan, {
          method: 'seed',
          residualPct,
          residualAmount,
          inner,
          yhat,
          fit: 'y IS NOT NULL',
          exclude: new Set([metric, date, ...drivers.map((x) => x.column ?? '')]),
          columns: profile.columns,
        });
      } else {
        warnings.push(
          n < 20
            ? `Only ${n} rows: too few for a regression; the heuristic split is shown instead.`
            : 'The drivers are perfectly collinear: the regression cannot separate them; the heuristic split is shown instead.',
        );
      }
    }

    if (regression === null) {
      // Heuristic: shares of the summed log ratios of the drivers' own changes. No residual is estimated.
      const terms = drivers.map((x, i) => (value(prev, i) > 0 && value(cur, i) > 0 ? Math.log(value(cur, i) / value(prev, i)) : 0));
      const sumTerms = terms.reduce((a, b) => a + b, 0);
      const absDeltas = drivers.reduce((a, _x, i) => a + Math.abs(value(cur, i) - value(prev, i)), 0);
      out = drivers.map((x, i) => ({
        name: x.label,
        contrib_pct:
          Math.abs(sumTerms) > 1e-12
            ? (terms[i]! / sumTerms) * changePct
            : absDeltas > 0
              ? ((value(cur, i) - value(prev, i)) / absDeltas) * changePct
              : 0,
        delta: value(cur, i) - value(prev, i),
        previous: value(prev, i),
        current: value(cur, i),
        coefficient: null,
        std_error: null,
        t_stat: null,
      }));
      warnings.push('Heuristic mode: contributions are shares of the change, not estimates; the residual is not estimated.');
    }

    out.sort((a, b) => Math.abs(b.contrib_pct) - Math.abs(a.contrib_pct));
    const kept = out.slice(0, req.select.topDrivers);
    const explainedPct = kept.reduce((a, b) => a + b.contrib_pct, 0);
    if (kept.length < out.length)
      warnings.push(`${out.length - kept.length} more driver(s) left out by the number of drivers kept; the residual includes them.`);
    if (regression && kept.length < out.length) {
      residualPct = changePct - explainedPct;
      residualAmount = yCur - yPrev - kept.reduce((a, b) => a + b.delta, 0);
    }
    return {
      schema: INVESTIGATE_SCHEMA,
      kind: 'investigate',
      input: req.label ?? (source.kind === 'file' ? req.input : scan.label),
      metric,
      metric_change_pct: changePct,
      current_metric: yCur,
      previous_metric: yPrev,
      window: {
        current_start: current.start,
        current_end: current.end,
        previous_start: previous.start,
        previous_end: previous.end,
        date_column: date,
      },
      drivers: kept,
      other_drivers: regression
        ? others.map(({ x, i }) => ({
            name: x.label,
            previous: value(prev, i),
            current: value(cur, i),
            delta: value(cur, i) - value(prev, i),
          }))
        : [],
      residual: { residual_pct: residualPct, residual_amount: residualAmount, signals },
      explained_pct: explainedPct,
      explained_share_pct: Math.abs(changePct) < 1e-12 ? null : (explainedPct * 100) / changePct,
      contribution_view: req.contributionView,
      decomposition_mode: regression ? 'regression' : 'heuristic',
      regression,
      warnings,
    };
  });
}

/** Variance inflation factor of feature k (1-based in X'X, 0 is the intercept): 1 / (1 - R²_k). */
function vif(XtX: Matrix, n: number, k: number): number {
  const p = XtX.rows;
  const others = Array.from({ length: p }, (_, i) => i).filter((i) => i !== k);
  const A = new Matrix(others.map((i) => others.map((j) => XtX.get(i, j))));
  const b = Matrix.columnVector(others.map((i) => XtX.get(i, k)));
  try {
    const g = inverse(A).mmul(b).to1DArray();
    const sse = XtX.get(k, k) - g.reduce((acc, gi, idx) => acc + gi * b.get(idx, 0), 0);
    const mean = XtX.get(0, k) / n;
    const sst = XtX.get(k, k) - n * mean * mean;
    return sst > 0 && sse > 0 ? sst / sse : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
