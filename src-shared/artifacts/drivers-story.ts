import { periodSpan } from '../period-name';
import { shortAmount, signedShortAmount } from '../short-amount';
import type { DriverContribution, DriversArtifact } from './drivers';

/** The last part of a path, for a sentence: "data/base.csv" -> "base.csv". */
const fileName = (p: string) => p.split(/[\\/]/).at(-1) ?? p;

/** How a driver moved, in words: "fewer orders" (a summed count), "lower avg_price_usd", "unchanged traffic". */
function moved(d: DriverContribution): string {
  if (d.new === d.base) return `unchanged ${d.name}`;
  const counted = d.aggregation === 'sum' && Number.isInteger(d.base) && Number.isInteger(d.new);
  const up = d.new > d.base;
  return `${counted ? (up ? 'more' : 'fewer') : up ? 'higher' : 'lower'} ${d.name}`;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** What the change is between: the two periods, or the two files. */
function span(a: DriversArtifact): string {
  if (a.window) return periodSpan({ start: a.window.previous_start, end: a.window.previous_end }, { start: a.window.current_start, end: a.window.current_end });
  return a.input_new ? `from ${fileName(a.input)} to ${fileName(a.input_new)}` : '';
}

function changeSentence(a: DriversArtifact): string {
  const when = span(a) ? ` ${span(a)}` : '';
  if (a.metric_change === 0) return `${a.metric} did not change${when}.`;
  const pct = Number.isFinite(a.metric_change_pct) ? ` ${Math.abs(a.metric_change_pct).toFixed(1)}%` : '';
  return `${a.metric} ${a.metric_change > 0 ? 'rose' : 'fell'}${pct} (${signedShortAmount(a.metric_change)})${when}.`;
}

function driversSentence(a: DriversArtifact): string | null {
  const [first, ...rest] = a.drivers;
  if (!first) return null;
  // "Fewer orders explain", "Lower avg_price_usd explains": a counted driver reads as a plural.
  const verb = /^(more|fewer) /.test(moved(first)) ? 'explain' : 'explains';
  const parts = [`${capital(moved(first))} ${verb} ${signedShortAmount(first.contrib_amount)}`, ...rest.map((d) => `${moved(d)} ${signedShortAmount(d.contrib_amount)}`)];
  return `${parts.join('; ')}.`;
}

/** The unexplained rest: how much, and where it sits when one segment of rows or one named part holds most of it. */
function residualSentence(a: DriversArtifact): string {
  const r = a.residual.residual_amount;
  // Below a billionth of the metric the residual is the rounding of the sums, not a finding.
  const rounding = Math.abs(r) <= 1e-9 * Math.max(Math.abs(a.metric_base), Math.abs(a.metric_new));
  if (rounding || shortAmount(r) === '0') return 'The formula explains all of it.';
  if (Math.abs(r) <= 0.005 * Math.abs(a.metric_change)) return `The formula explains all of it but ${signedShortAmount(r)}.`;
  const head = `${signedShortAmount(r)} is not explained by the formula`;
  const holder = a.residual.signals
    .filter((s) => s.signal_type === 'categorical' && s.total_residual !== null && Math.sign(s.total_residual) === Math.sign(r))
    .sort((x, y) => Math.abs(y.total_residual!) - Math.abs(x.total_residual!))[0];
  const held = holder ? holder.total_residual! / r : 0;
  if (holder && held >= 0.5) return `${head} and sits ${held >= 0.995 ? 'in' : 'mostly in'} the ${holder.rows} rows of ${holder.name}.`;
  const part = [...a.residual.parts].sort((x, y) => Math.abs(y.amount) - Math.abs(x.amount))[0];
  if (part && part.name !== 'identity misfit' && part.amount / r >= 0.5) return `${head}; most of it is ${part.name}.`;
  return `${head}.`;
}

function bridgeSentence(a: DriversArtifact): string | null {
  const b = a.bridge;
  if (!b) return null;
  const newOrGone = b.new_segments + b.gone_segments > 0 ? `, new or gone segments ${signedShortAmount(b.new_or_gone_effect)}` : '';
  return `Split by ${b.dimension}, the volume of ${b.volume_driver} accounts for ${signedShortAmount(b.volume_effect)}, the mix across ${b.dimension} values ${signedShortAmount(b.mix_effect)} and the rate within each ${signedShortAmount(b.rate_effect)}${newOrGone}.`;
}

/**
 * Two to four plain sentences from the artifact alone, for a manager: how much the metric moved,
 * how much each driver of its formula explains, what the formula leaves unexplained and where that
 * sits, and (with --by) volume, mix and rate. Amounts are the artifact's, rounded for reading.
 */
export function driversStory(a: DriversArtifact): string[] {
  return [changeSentence(a), driversSentence(a), residualSentence(a), bridgeSentence(a)].filter((s): s is string => s !== null);
}
