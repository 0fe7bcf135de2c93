import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import type { CompareArtifact } from '../../src-shared/artifacts/compare';
import type { InvestigateArtifact } from '../../src-shared/artifacts/investigate';
import type { SegmentsArtifact } from '../../src-shared/artifacts/segments';
import type { RegressionArtifact } from '../../src-shared/artifacts/factors';
import type { Run } from '../../src-shared/contract';
import type { DriversArtifact } from '../../src-shared/artifacts/drivers';
import { factorKeys, type FactorsArtifact } from '../../src-shared/artifacts/factors';
import { factorRows } from '../../src-shared/artifacts/factors-view';
import { investigationEvidence } from './investigation-summary';

/**
 * The evidence an explanation may use: numbered lines built only from a run's artifact, each
 * with the numbers it states. Values that come from the data (segment names, column names) are
 * quoted, so that a cell reading like an instruction stays data. The language model explains
 * these lines; it never computes; and every number of its answer is checked against them.
 */
export interface Evidence {
  /** E1, E2, … */
  id: string;
  text: string;
  /** The exact values behind the numbers of `text` (before rounding for display). */
  values: number[];
}

/** `value` in double quotes, with quotes and line breaks neutralised, at most `max` characters. */
const quote = (value: string, max: number) =>
  `"${value
    .replace(/[\r\n]+/g, ' ')
    .replaceAll('"', "'")
    .slice(0, max)}"`;

/** A data value as the prompt shows it: in double quotes, with quotes and line breaks neutralised. */
export function quoted(value: string): string {
  return quote(value, 120);
}

const r2 = (v: number) => Number(v.toFixed(2));

class Lines {
  readonly items: Evidence[] = [];
  add(text: string, values: number[]): void {
    this.items.push({ id: `E${this.items.length + 1}`, text, values });
  }
}

/**
 * A run's warnings (what reading the input changed or left out, e.g. NaN cells or unreadable
 * dates, or what a method fell back on), one line each, right after the headline line so that a
 * small context keeps them. A warning quotes cells and column names (`'next week'`), so the whole
 * line is quoted data; its values are the counts it states, not digits of the quoted cells.
 */
function addWarnings(l: Lines, warnings: readonly string[] | undefined): void {
  for (const w of warnings ?? []) l.add(`warning: ${quote(w, 400)}`, numbersIn(w.replace(/'[^']*'/g, '')));
}

export function analyzeEvidence(a: AnalyzeArtifact, maxGroups = 8): Evidence[] {
  const l = new Lines();
  l.add(
    `records=${a.records} segments=${a.segments} group_by=${a.group_by.map(quoted).join(',')} metrics=${a.metrics.map(quoted).join(',') || 'none'}`,
    [a.records, a.segments],
  );
  addWarnings(l, a.warnings);
  const pm = a.primary_metric;
  for (const g of a.groups.slice(0, maxGroups)) {
    const value = pm ? (g[pm] as number) : null;
    l.add(
      `group=${quoted(g.group)} records=${g.count} record_share_pct=${r2(g.count_share_pct)}${pm && value !== null ? ` ${quoted(pm)}=${r2(value)}` : ''}`,
      [g.count, g.count_share_pct, ...(value !== null ? [value] : [])],
    );
  }
  for (const alert of a.alerts) l.add(`alert: ${alert.replaceAll('`', '')}`, numbersIn(alert));
  const p = a.period_compare;
  if (p) {
    l.add(
      `period current ${p.current_start}..${p.current_end} records=${p.current_records}, previous ${p.previous_start}..${p.previous_end} records=${p.previous_records}`,
      [p.current_records, p.previous_records],
    );
    for (const m of p.movers.slice(0, 5)) {
      l.add(
        `mover=${quoted(m.group)} records ${m.previous_records} -> ${m.current_records} (delta ${m.delta_records}), share ${r2(m.previous_share_pct)}% -> ${r2(m.current_share_pct)}% (${r2(m.delta_share_pp)} pp)`,
        [m.previous_records, m.current_records, m.delta_records, m.previous_share_pct, m.current_share_pct, m.delta_share_pp],
      );
    }
  }
  return l.items;
}

export function driversEvidence(a: DriversArtifact): Evidence[] {
  const l = new Lines();
  l.add(
    `metric=${quoted(a.metric)} base=${r2(a.metric_base)} new=${r2(a.metric_new)} change=${r2(a.metric_change)} (${r2(a.metric_change_pct)}%)`,
    [a.metric_base, a.metric_new, a.metric_change, a.metric_change_pct],
  );
  addWarnings(l, a.warnings);
  l.add(`identity ${quoted(a.identity.expression)} method=${a.method} fit_mape_pct=${r2(a.identity.fit_mape * 100)}`, [
    a.identity.fit_mape * 100,
  ]);
  for (const d of a.drivers)
    l.add(
      `driver=${quoted(d.name)} base=${r2(d.base)} new=${r2(d.new)} contribution=${r2(d.contrib_amount)} (${r2(d.contrib_pct)}% of base)`,
      [d.base, d.new, d.contrib_amount, d.contrib_pct],
    );
  l.add(
    `explained=${r2(a.explained_amount)} (${r2(a.explained_pct)}%) residual=${r2(a.residual.residual_amount)} (${r2(a.residual.residual_pct)}%)`,
    [a.explained_amount, a.explained_pct, a.residual.residual_amount, a.residual.residual_pct],
  );
  for (const s of a.residual.signals)
    l.add(`residual lives in ${quoted(s.name)}: ${s.detail}`, [
      s.rows,
      ...(s.mean_residual !== null ? [s.mean_residual] : []),
      ...(s.total_residual !== null ? [s.total_residual] : []),
    ]);
  return l.items;
}

/**
 * Factor-model evidence. `focus` (0-based factor indexes) narrows the worst-day breakdown to
 * those factors, and the worst day is the one where *they* contributed least (the seed picked it
 * by the total of all factors even when asked about a few).
 */
export function factorsEvidence(a: FactorsArtifact, focus: number[] | null = null): Evidence[] {
  const l = new Lines();
  l.add(
    `k=${a.model.k} assets=${a.model.tickers.length} observations=${a.model.dates.length} (${a.model.dates[0]}..${a.model.dates.at(-1)})`,
    [a.model.k, a.model.tickers.length, a.model.dates.length],
  );
  const keys = factorKeys(a.model.k);
  const rows = factorRows(a);
  const chosen = focus && focus.length > 0 ? focus.filter((f) => f >= 0 && f < a.model.k) : keys.map((_, i) => i);
  const focusTotal = (c: number[]) => chosen.reduce((s, f) => s + (c[f] ?? 0), 0);
  let worst: FactorsArtifact['attribution'][number] | null = null;
  for (const day of a.attribution) if (!worst || focusTotal(day.contributions) < focusTotal(worst.contributions)) worst = day;
  if (worst) {
    const parts = chosen
      .map((f) => ({ f, v: worst.contributions[f] ?? 0 }))
      .sort((x, y) => x.v - y.v)
      .map(({ f, v }) => ({ text: `${keys[f]} ${quoted(rows[f]!.label)}=${r2(v * 100)}%`, value: v * 100 }));
    const scope = chosen.length === a.model.k ? 'all factors' : `focus ${chosen.map((f) => keys[f]).join('+')}`;
    l.add(
      `worst modeled day ${worst.date} (${scope}): factor_contribution_pct=${r2(focusTotal(worst.contributions) * 100)} portfolio_return_pct=${r2(worst.portfolio_return * 100)} residual_pct=${r2(worst.residual * 100)}; by factor: ${parts.map((p) => p.text).join(', ')}`,
      [focusTotal(worst.contributions) * 100, worst.portfolio_return * 100, worst.residual * 100, ...parts.map((p) => p.value)],
    );
  }
  rows.forEach((f, i) => {
    if (!chosen.includes(i)) return;
    l.add(
      `${factorKeys(a.model.k)[i]} ${quoted(f.label)} explained_variance_pct=${r2(f.explained * 100)} risk_share_pct=${r2(f.risk_share * 100)} cumulative_contribution_pct=${r2(f.cumulative * 100)}`,
      [f.explained * 100, f.risk_share * 100, f.cumulative * 100],
    );
  });
  for (const o of a.top_outliers.slice(0, 10)) l.add(`outlier day ${o.date} residual_pct=${r2(o.residual * 100)}`, [o.residual * 100]);
  return l.items;
}

/** The seed found no evidence in compare artifacts; here every run kind has its lines. */
export function compareEvidence(a: CompareArtifact, maxMovers = 8): Evidence[] {
  const l = new Lines();
  l.add(
    `base ${quoted(a.base)} records=${a.base_records} segments=${a.base_segments}; new ${quoted(a.new)} records=${a.new_records} segments=${a.new_segments}`,
    [a.base_records, a.base_segments, a.new_records, a.new_segments],
  );
  l.add(`segments only in new=${a.new_only_segments}, only in base=${a.base_only_segments}`, [a.new_only_segments, a.base_only_segments]);
  for (const m of a.movers.slice(0, maxMovers)) {
    l.add(
      `mover=${quoted(m.segment)} records ${m.base_records} -> ${m.new_records}, share ${r2(m.base_share_pct)}% -> ${r2(m.new_share_pct)}% (${r2(m.delta_share_pp)} pp), ${quoted(a.primary_metric)} ${r2(m.base_primary_metric_value)} -> ${r2(m.new_primary_metric_value)} (${r2(m.delta_primary_metric_value)})`,
      [
        m.base_records,
        m.new_records,
        m.new_records - m.base_records,
        m.base_share_pct,
        m.new_share_pct,
        m.delta_share_pp,
        m.base_primary_metric_value,
        m.new_primary_metric_value,
        m.delta_primary_metric_value,
      ],
    );
  }
  return l.items;
}

/** Where it changed: the change, then each part of the bridge (segments quoted), then the widest split. */
export function segmentsEvidence(a: SegmentsArtifact): Evidence[] {
  const l = new Lines();
  // A sum's amounts to the cent; a ratio's small values to six significant digits.
  const r4 = (v: number) => (a.metric_kind === 'sum' ? r2(v) : Number(v.toPrecision(6)));
  const base = a.base_value ?? 0;
  const current = a.current_value ?? 0;
  l.add(
    `metric=${quoted(a.metric)} kind=${a.metric_kind} ${quoted(a.base_label)}=${r4(base)} ${quoted(a.current_label)}=${r4(current)} change=${r4(a.change)}${a.change_pct === null ? '' : ` (${r2(a.change_pct)}%)`}`,
    [base, current, a.change, ...(a.change_pct === null ? [] : [a.change_pct])],
  );
  addWarnings(l, a.warnings);
  for (const p of a.bridge) {
    const name = p.segment ? p.segment.map((c) => `${quoted(c.dimension)}=${quoted(c.value)}`).join(' & ') : 'everything else';
    const split = a.metric_kind === 'sum' ? '' : ` rate=${r4(p.rate)} mix=${r4(p.mix)}`;
    l.add(
      `segment ${name}: contribution=${r4(p.contribution)}${p.share === null ? '' : ` (${r2(p.share * 100)}% of the change)`}${split}${p.status === 'new' || p.status === 'gone' ? ` ${p.status}` : ''}`,
      [p.contribution, ...(p.share === null ? [] : [p.share * 100]), ...(a.metric_kind === 'sum' ? [] : [p.rate, p.mix])],
    );
  }
  for (const c of a.root_causes) {
    const name = c.segment.map((x) => `${quoted(x.dimension)}=${quoted(x.value)}`).join(' & ');
    l.add(
      `root cause ${name}: contribution=${r4(c.contribution)}${c.share === null ? '' : ` (${r2(c.share * 100)}% of the change)`} explanatory_power=${r2(c.explanatory_power * 100)}%`,
      [c.contribution, ...(c.share === null ? [] : [c.share * 100]), c.explanatory_power * 100],
    );
  }
  return l.items;
}

export function investigateEvidence(a: InvestigateArtifact): Evidence[] {
  const l = new Lines();
  l.add(
    `metric=${quoted(a.metric)} previous=${r2(a.previous_metric)} current=${r2(a.current_metric)} change_pct=${r2(a.metric_change_pct)} mode=${a.decomposition_mode}`,
    [a.previous_metric, a.current_metric, a.current_metric - a.previous_metric, a.metric_change_pct],
  );
  addWarnings(l, a.warnings);
  for (const d of a.drivers)
    l.add(
      `driver=${quoted(d.name)} previous=${r2(d.previous)} current=${r2(d.current)} contribution=${r2(d.delta)} (${r2(d.contrib_pct)}%)`,
      [d.previous, d.current, d.delta, d.contrib_pct],
    );
  if (a.regression)
    l.add(`regression rows=${a.regression.rows} r_squared=${a.regression.r_squared.toFixed(4)} max_vif=${r2(a.regression.max_vif)}`, [
      a.regression.rows,
      a.regression.r_squared,
      a.regression.max_vif,
    ]);
  if (a.residual.residual_pct !== null)
    l.add(`explained_pct=${r2(a.explained_pct)} residual=${r2(a.residual.residual_amount ?? 0)} (${r2(a.residual.residual_pct)}%)`, [
      a.explained_pct,
      a.residual.residual_amount ?? 0,
      a.residual.residual_pct,
    ]);
  return l.items;
}

export function regressionEvidence(a: RegressionArtifact): Evidence[] {
  const l = new Lines();
  l.add(
    `observations=${a.observations} r_squared=${a.r2.toFixed(4)} adjusted=${a.adj_r2.toFixed(4)} residual_std=${a.residual_std.toFixed(6)}`,
    [a.observations, a.r2, a.adj_r2, a.residual_std],
  );
  for (const term of ['alpha', ...Object.keys(a.betas)]) {
    const est = term === 'alpha' ? a.alpha : a.betas[term]!;
    l.add(
      `${quoted(term)} estimate=${est.toFixed(6)} std_error=${a.std_errors[term]!.toFixed(6)} t=${a.t_stats[term]!.toFixed(2)} p=${a.p_values[term]!.toFixed(4)}`,
      [est, a.std_errors[term]!, a.t_stats[term]!, a.p_values[term]!],
    );
  }
  return l.items;
}

/** The evidence of any run. */
export function evidenceOf(artifact: Run['artifact'], focus: number[] | null = null): Evidence[] {
  switch (artifact.kind) {
    case 'analyze':
      return analyzeEvidence(artifact);
    case 'compare':
      return compareEvidence(artifact);
    case 'drivers':
      return driversEvidence(artifact);
    case 'investigate':
      return investigateEvidence(artifact);
    case 'segments':
      return segmentsEvidence(artifact);
    case 'investigation':
      return investigationEvidence(artifact);
    case 'factors':
      return factorsEvidence(artifact, focus);
    case 'regression':
      return regressionEvidence(artifact);
  }
}

/** The numbers written in a text (for lines copied from the artifact, such as alerts). */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/-?\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replaceAll(',', ''))).filter(Number.isFinite);
}
