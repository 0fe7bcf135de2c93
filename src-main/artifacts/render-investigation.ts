import type { InvestigationArtifact, InvestigationStep, Mover } from '../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../src-shared/artifacts/segments';
import { formatCount, formatNumber, formatSigned } from '../../src-shared/format';
import { markdownName, markdownText } from './markdown-escape';
import { escapeHtml, htmlPage, htmlTable } from './render-html';
import { markdownTable } from './render-markdown';
import { branchGraphSvg } from './branch-graph-svg';

/**
 * The renderings of a guided investigation (`factorlens investigate`): the console's story, the
 * Markdown report with the original's sections in its order, and a standalone HTML page with the
 * branch graph drawn. The JSON rendering is the artifact itself.
 */

type A = InvestigationArtifact;

/** "region = US & channel = Online", or "all rows" for the whole table. */
export function scopeText(scope: readonly SegmentCondition[]): string {
  return scope.length === 0 ? 'all rows' : scope.map((c) => `${c.dimension} = ${c.value}`).join(' & ');
}

/** The mode's score in its unit: share points (concentration) or percent of the whole change. */
export function scoreText(a: A, score: number): string {
  return a.config.min_contribution_unit === 'share_pp' ? `${formatNumber(score, 2)} pp` : `${formatNumber(score, 1)}% of the change`;
}

const unitWords = (a: A) => (a.config.min_contribution_unit === 'share_pp' ? 'share points of records' : 'percent of the whole change');

const modeText = (a: A) => `${a.mode}${a.mode_source === 'question' ? ' (routed from the question)' : ''}`;

function plannerText(a: A): string {
  if (a.planner === 'deterministic') return 'deterministic';
  return `llm (${a.planner_backend ?? 'local'}${a.planner_model ? `, ${a.planner_model}` : ''})`;
}

function inputText(a: A): string {
  const i = a.input;
  const windows = i.windows ? ` (${i.date_column ?? 'date'}: ${i.windows.previous.start}..${i.windows.previous.end} → ${i.windows.current.start}..${i.windows.current.end})` : '';
  return `${i.kind}: ${i.base} → ${i.new}${windows}`;
}

function changeText(a: A): string {
  const t = a.totals;
  return `${a.metric}: ${formatNumber(t.base_metric)} → ${formatNumber(t.new_metric)} (${formatSigned(t.delta_metric)}${t.delta_pct === null ? '' : `, ${formatSigned(t.delta_pct, 1)}%`})`;
}

const top = (s: InvestigationStep): Mover | null => s.movers[0] ?? null;

function moverLine(a: A, m: Mover): string {
  return `${m.segment}: ${a.metric} ${formatSigned(m.delta_metric)}, records share ${formatNumber(m.base_share_pct, 1)}% → ${formatNumber(m.new_share_pct, 1)}% (${formatSigned(m.delta_share_pp, 2)} pp), score ${scoreText(a, m.score)}`;
}

/** The sentence of the first step: what moved most by the top dimension. */
function topLevelFinding(a: A): string {
  const first = a.steps[0];
  const m = first ? top(first) : null;
  if (!first || !m) return `${changeText(a)}; no segment of ${a.top_dimension} to report.`;
  return `${changeText(a)}. By ${first.dimension}, the strongest mover is ${m.segment} (${a.metric} ${formatSigned(m.delta_metric)}, score ${scoreText(a, m.score)}).`;
}

/** The path the investigation went deepest along: the top segment of each step, first branch first. */
function deepestPath(a: A): string[] {
  const deepest = [...a.steps].sort((x, y) => y.depth - x.depth)[0];
  if (!deepest) return [];
  const m = top(deepest);
  return [...deepest.scope.map((c) => `${c.dimension} = ${c.value}`), ...(m ? [`${deepest.dimension} = ${m.segment}`] : [])];
}

/** The story: the final summary (the model's, checked, or the one built from the steps), else the top-level finding. */
export function investigationStory(a: A): string[] {
  if (a.final_summary && a.final_summary.text.length > 0) return a.final_summary.text;
  const path = deepestPath(a);
  return [topLevelFinding(a), ...(path.length > 1 ? [`Deepest path: ${path.join(' → ')}.`] : [])];
}

export interface ConsoleOptions {
  /** Every step with its largest movers. */
  verbose?: boolean;
  /** The planner's decisions, one line each. */
  trace?: boolean;
}

/** What the console prints: the story first, then the path, why it stopped and what to ask next. */
export function investigationConsole(a: A, written: string[], options: ConsoleOptions = {}): string {
  const out = [
    ...investigationStory(a),
    '',
    `Question: ${a.question}`,
    `Mode: ${modeText(a)}; planner: ${plannerText(a)}`,
    changeText(a),
    `Dimensions: ${[a.top_dimension, ...a.drill_fields].join(', ')}${a.dimensions_inferred ? ' (inferred)' : ''}`,
    `Steps: ${a.steps.length} (${Math.max(0, ...a.steps.map((s) => s.depth)) + 1} of at most ${a.config.max_depth} levels)`,
  ];
  if (a.final_summary?.replaced_reason) out.push(`Note: the model's summary was replaced by the one built from the steps (${a.final_summary.replaced_reason}).`);
  if (options.verbose) {
    for (const s of a.steps) {
      out.push('', `[${s.id}] ${scopeText(s.scope)}, by ${s.dimension} (${s.chosen_by}):`);
      out.push(...s.movers.slice(0, 5).map((m) => `  - ${moverLine(a, m)}`));
    }
  }
  if (options.trace) {
    out.push('', 'Decision trace:');
    out.push(...a.trace.map((t) => `  ${t.depth}. ${t.action}${t.step ? ` [${t.step}]` : ''}: ${t.reason}`));
  }
  out.push('', `Why it stopped: ${a.stopping_reason}`, `Next question: ${a.recommended_next_question}`, `  ask it with: ${nextFlags(a)}`);
  out.push(...a.warnings.map((w) => `Warning: ${w}`));
  out.push(`Written:\n${written.map((w) => `- ${w}`).join('\n')}`, '');
  return out.join('\n');
}

/** The movers table of one step. */
function moverColumns(a: A): { label: string; align: 'left' | 'right'; format: (m: Mover) => string }[] {
  return [
    { label: 'Segment', align: 'left', format: (m) => m.segment },
    { label: 'Base records', align: 'right', format: (m) => formatCount(m.base_records) },
    { label: 'New records', align: 'right', format: (m) => formatCount(m.new_records) },
    { label: 'Base share %', align: 'right', format: (m) => formatNumber(m.base_share_pct, 2) },
    { label: 'New share %', align: 'right', format: (m) => formatNumber(m.new_share_pct, 2) },
    { label: 'Δ share pp', align: 'right', format: (m) => formatSigned(m.delta_share_pp, 2) },
    { label: `Base ${a.metric}`, align: 'right', format: (m) => formatNumber(m.base_metric) },
    { label: `New ${a.metric}`, align: 'right', format: (m) => formatNumber(m.new_metric) },
    { label: `Δ ${a.metric}`, align: 'right', format: (m) => formatSigned(m.delta_metric) },
    { label: 'Score', align: 'right', format: (m) => formatNumber(m.score, 2) },
  ];
}

interface Row {
  step: InvestigationStep;
  mover: Mover | null;
}

function followUpColumns(a: A): { label: string; align: 'left' | 'right'; format: (r: Row) => string }[] {
  return [
    { label: 'Depth', align: 'right', format: (r) => String(r.step.depth) },
    { label: 'Scope', align: 'left', format: (r) => scopeText(r.step.scope) },
    { label: 'Dimension', align: 'left', format: (r) => r.step.dimension },
    { label: 'Strongest mover', align: 'left', format: (r) => r.mover?.segment ?? '–' },
    { label: `Δ ${a.metric}`, align: 'right', format: (r) => (r.mover ? formatSigned(r.mover.delta_metric) : '–') },
    { label: 'Score', align: 'right', format: (r) => (r.mover ? formatNumber(r.mover.score, 2) : '–') },
    { label: 'Score improvement', align: 'right', format: (r) => (r.step.score_improvement === null ? '–' : formatSigned(r.step.score_improvement, 2)) },
    { label: 'Chosen by', align: 'left', format: (r) => r.step.chosen_by },
  ];
}

/** The branches that leave the top-level step, side by side: each first drill and the deepest step under it. */
function branchRows(a: A): { branch: string; first: InvestigationStep; last: InvestigationStep }[] {
  const firsts = a.steps.filter((s) => s.depth === 1);
  return firsts.map((first) => {
    const under = a.steps.filter((s) => s.scope.length >= first.scope.length && first.scope.every((c, i) => s.scope[i]?.dimension === c.dimension && s.scope[i]?.value === c.value));
    const last = under.sort((x, y) => y.depth - x.depth)[0] ?? first;
    return { branch: scopeText(first.scope), first, last };
  });
}

function branchColumns(a: A): { label: string; align: 'left' | 'right'; format: (r: ReturnType<typeof branchRows>[number]) => string }[] {
  return [
    { label: 'Branch', align: 'left', format: (r) => r.branch },
    { label: `Branch Δ ${a.metric}`, align: 'right', format: (r) => formatSigned(r.first.delta_metric) },
    { label: 'Split by', align: 'left', format: (r) => r.first.dimension },
    { label: 'Strongest there', align: 'left', format: (r) => top(r.first)?.segment ?? '–' },
    { label: 'Deepest scope', align: 'left', format: (r) => scopeText(r.last.scope) },
    { label: 'Deepest mover', align: 'left', format: (r) => (top(r.last) ? `${r.last.dimension} = ${top(r.last)!.segment}` : '–') },
    { label: `Deepest Δ ${a.metric}`, align: 'right', format: (r) => (top(r.last) ? formatSigned(top(r.last)!.delta_metric) : '–') },
  ];
}

function concentrationRows(s: InvestigationStep) {
  const c = s.concentration;
  return [
    { label: 'Top 1 share %', ...c.top1_share_pct },
    { label: 'Top 5 share %', ...c.top5_share_pct },
  ];
}

const concentrationColumns: { label: string; align: 'left' | 'right'; format: (r: ReturnType<typeof concentrationRows>[number]) => string }[] = [
  { label: 'Measure', align: 'left', format: (r) => r.label },
  { label: 'Base', align: 'right', format: (r) => formatNumber(r.base, 2) },
  { label: 'New', align: 'right', format: (r) => formatNumber(r.new, 2) },
  { label: 'Δ pp', align: 'right', format: (r) => formatSigned(r.delta_pp, 2) },
];

/** The segments whose share of records moved most: what moved the concentration. */
const concentrationMovers = (s: InvestigationStep): Mover[] =>
  [...s.movers].sort((x, y) => Math.abs(y.delta_share_pp) - Math.abs(x.delta_share_pp) || (x.segment < y.segment ? -1 : 1)).slice(0, 5);

function coverageLines(a: A): string[] {
  const c = a.coverage;
  return [
    `The top-level step's listed movers account for ${c.top_level_reported_pct === null ? '– (the metric did not change)' : `${formatNumber(c.top_level_reported_pct, 1)}%`} of the change of ${a.metric}.`,
    c.strongest_segment
      ? `The strongest segment, ${c.strongest_segment.dimension} = ${c.strongest_segment.segment}, holds ${formatNumber(c.strongest_segment.share_of_abs_change_pct, 1)}% of the absolute change.`
      : 'No segment holds a share of the change.',
  ];
}

type Coverage = A['coverage']['steps'][number];
const coverageColumns = (a: A): { label: string; align: 'left' | 'right'; format: (r: Coverage) => string }[] => [
  { label: 'Step', align: 'left', format: (r) => r.id },
  { label: `Reported |Δ ${a.metric}|`, align: 'right', format: (r) => formatNumber(r.reported_abs) },
  { label: 'Residual |Δ|', align: 'right', format: (r) => formatNumber(r.residual_abs) },
];

/** The branch graph as a Mermaid `graph TD` (the nodes numbered; their ids are in the labels' order of the artifact). */
export function branchGraphMermaid(a: A): string[] {
  const g = a.branch_graph;
  const idOf = new Map(g.nodes.map((n, i) => [n.id, `n${i}`]));
  // Mermaid reads `"` as the label's end and `#...;` as an entity: both written as entities.
  const label = (text: string) => text.replaceAll('#', '#35;').replaceAll('"', '#quot;').replace(/[\r\n]+/g, ' ');
  const lines = ['graph TD'];
  for (const n of g.nodes) {
    const where = n.scope.length === 0 ? 'all rows' : `${n.scope.at(-1)!.dimension} = ${n.scope.at(-1)!.value}`;
    const best = n.top_segment === null ? 'no mover' : `top: ${n.top_segment}${n.top_score === null ? '' : ` (${scoreText(a, n.top_score)})`}`;
    lines.push(`  ${idOf.get(n.id)}["${label(`${where} by ${n.dimension}`)}<br/>${label(best)}"]`);
  }
  for (const e of g.edges) {
    const from = idOf.get(e.from);
    const to = idOf.get(e.to);
    if (from && to) lines.push(`  ${from} -->|"${label(`${e.via.value} (${formatSigned(e.score_improvement, 2)})`)}"| ${to}`);
  }
  return lines;
}

/** The Markdown report: the original's sections, in its order. */
export function investigationMarkdown(a: A): string {
  const first = a.steps[0];
  const followUps = a.steps.filter((s) => s.depth > 0);
  const out: string[] = [
    '# Investigation Report',
    '',
    `- Question: ${markdownText(a.question)}`,
    `- Mode: ${markdownText(modeText(a))}`,
    `- Planner: ${markdownText(plannerText(a))}`,
    `- Inputs: ${markdownText(inputText(a))}`,
    `- Metric: ${markdownName(a.metric)}`,
    `- Dimensions: top ${markdownName(a.top_dimension)}; drill fields ${a.drill_fields.length ? a.drill_fields.map(markdownName).join(', ') : 'none'}${a.dimensions_inferred ? ' (inferred)' : ''}`,
    `- Thresholds: depth ${a.config.max_depth}, branches ${a.config.max_branches}, min contribution ${formatNumber(a.config.min_contribution, 2)} ${unitWords(a)}, min |Δ| ${formatNumber(a.config.min_delta_abs)}, min score improvement ${formatNumber(a.config.min_score_improvement, 2)}, min slice rows ${a.config.min_slice_rows}`,
    '',
    '## Top-level finding',
    '',
    markdownText(topLevelFinding(a)),
    '',
    '### Concentration snapshot',
    '',
  ];
  if (first) {
    out.push(`${formatCount(first.concentration.segments)} segments of ${markdownName(first.dimension)}.`, '', ...markdownTable(concentrationColumns, concentrationRows(first)));
    out.push('', '### Segments behind concentration', '', ...markdownTable(moverColumns(a), concentrationMovers(first)));
    out.push('', '### Top-level movers (top 5)', '', ...markdownTable(moverColumns(a), first.movers.slice(0, 5)));
  } else out.push('No step was computed.');
  out.push('', '### Strongest mover by configured dimension', '');
  out.push(
    ...(a.major_global_changes.length === 0
      ? ['None.']
      : markdownTable(
          [
            { label: 'Dimension', align: 'left', format: (r: A['major_global_changes'][number]) => r.dimension },
            { label: 'Segment', align: 'left', format: (r) => r.mover.segment },
            { label: `Δ ${a.metric}`, align: 'right', format: (r) => formatSigned(r.mover.delta_metric) },
            { label: 'Δ share pp', align: 'right', format: (r) => formatSigned(r.mover.delta_share_pp, 2) },
            { label: 'Score', align: 'right', format: (r) => formatNumber(r.mover.score, 2) },
          ],
          a.major_global_changes,
        )),
  );
  out.push('', '## Follow-up findings', '');
  if (followUps.length === 0) out.push('No drill-down step: see why it stopped.');
  for (const s of followUps) {
    const m = top(s);
    out.push(`- ${markdownText(`Within ${scopeText(s.scope)}, by ${s.dimension}: ${m ? moverLine(a, m) : 'no mover'}`)}`);
  }
  out.push('', '### Follow-up strongest movers table', '');
  out.push(...(followUps.length === 0 ? ['None.'] : markdownTable(followUpColumns(a), followUps.map((step) => ({ step, mover: top(step) })))));
  out.push('', '### Top branches (side-by-side)', '');
  const branches = branchRows(a);
  out.push(...(branches.length === 0 ? ['None.'] : markdownTable(branchColumns(a), branches)));
  out.push('', '## Coverage', '', ...coverageLines(a).map(markdownText), '', '### Step coverage table', '', ...markdownTable(coverageColumns(a), a.coverage.steps));
  out.push('', '## Drill-down graph', '', '```mermaid', ...branchGraphMermaid(a), '```');
  out.push('', '## Why it stopped', '', markdownText(a.stopping_reason));
  out.push('', '## Recommended next question', '', markdownText(a.recommended_next_question), '', `Ask it with the same inputs and ${markdownName(nextFlags(a))}.`);
  out.push('', '## Decision trace', '');
  out.push(...a.trace.map((t, i) => `${i + 1}. ${markdownText(`depth ${t.depth}, ${t.action}${t.step ? ` (${t.step})` : ''}: ${t.reason}`)}`));
  if (a.final_summary) {
    out.push('', '## Final summary');
    for (const line of a.final_summary.text) out.push('', markdownText(line));
    out.push('', markdownText(a.final_summary.source === 'llm' ? 'Written by the model; every number in it was found in the steps.' : 'Built from the steps.'));
    if (a.final_summary.replaced_reason) out.push('', markdownText(`The model's summary was not used: ${a.final_summary.replaced_reason}`));
  }
  if (a.warnings.length > 0) out.push('', '## Warnings', '', ...a.warnings.map((w) => `- ${markdownText(w)}`));
  out.push('');
  return out.join('\n');
}

/** The standalone HTML report: the same sections, the branch graph drawn as inline SVG (no script). */
export function investigationHtml(a: A): string {
  const first = a.steps[0];
  const followUps = a.steps.filter((s) => s.depth > 0);
  const p = (text: string) => `<p>${escapeHtml(text)}</p>`;
  const li = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  const parts = [
    '<h1>Investigation Report</h1>',
    `<div class="story">${investigationStory(a).map(p).join('')}</div>`,
    `<dl>${[
      ['Question', a.question],
      ['Mode', modeText(a)],
      ['Planner', plannerText(a)],
      ['Inputs', inputText(a)],
      ['Metric', a.metric],
      ['Dimensions', `top ${a.top_dimension}; drill fields ${a.drill_fields.join(', ') || 'none'}${a.dimensions_inferred ? ' (inferred)' : ''}`],
    ]
      .map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`)
      .join('')}</dl>`,
    '<h2>Top-level finding</h2>',
    p(topLevelFinding(a)),
    '<h3>Concentration snapshot</h3>',
  ];
  if (first) {
    parts.push(p(`${formatCount(first.concentration.segments)} segments of ${first.dimension}.`), htmlTable(concentrationColumns, concentrationRows(first)));
    parts.push('<h3>Segments behind concentration</h3>', htmlTable(moverColumns(a), concentrationMovers(first)));
    parts.push('<h3>Top-level movers (top 5)</h3>', htmlTable(moverColumns(a), first.movers.slice(0, 5)));
  } else parts.push(p('No step was computed.'));
  parts.push(
    '<h3>Strongest mover by configured dimension</h3>',
    li(a.major_global_changes.map((g) => `${g.dimension}: ${moverLine(a, g.mover)}`)),
    '<h2>Follow-up findings</h2>',
    followUps.length === 0 ? p('No drill-down step: see why it stopped.') : li(followUps.map((s) => `Within ${scopeText(s.scope)}, by ${s.dimension}: ${top(s) ? moverLine(a, top(s)!) : 'no mover'}`)),
    '<h3>Follow-up strongest movers table</h3>',
    followUps.length === 0 ? p('None.') : htmlTable(followUpColumns(a), followUps.map((step) => ({ step, mover: top(step) }))),
    '<h3>Top branches (side-by-side)</h3>',
    branchRows(a).length === 0 ? p('None.') : htmlTable(branchColumns(a), branchRows(a)),
    '<h2>Coverage</h2>',
    li(coverageLines(a)),
    '<h3>Step coverage table</h3>',
    htmlTable(coverageColumns(a), a.coverage.steps),
    '<h2>Drill-down graph</h2>',
    branchGraphSvg(a.branch_graph, (score) => scoreText(a, score)),
    '<h2>Why it stopped</h2>',
    p(a.stopping_reason),
    '<h2>Recommended next question</h2>',
    p(a.recommended_next_question),
    '<h2>Decision trace</h2>',
    `<ol>${a.trace.map((t) => `<li>${escapeHtml(`depth ${t.depth}, ${t.action}${t.step ? ` (${t.step})` : ''}: ${t.reason}`)}</li>`).join('')}</ol>`,
  );
  if (a.final_summary) {
    parts.push('<h2>Final summary</h2>', ...a.final_summary.text.map(p));
    parts.push(p(a.final_summary.source === 'llm' ? 'Written by the model; every number in it was found in the steps.' : 'Built from the steps.'));
    if (a.final_summary.replaced_reason) parts.push(p(`The model's summary was not used: ${a.final_summary.replaced_reason}`));
  }
  if (a.warnings.length > 0) parts.push('<h2>Warnings</h2>', li(a.warnings));
  return htmlPage(`FactorLens Investigation: ${a.question}`, parts.join('\n'), a.schema);
}

/** The flags that ask the recommended next question: the question, its rows and its dimensions. */
export function nextFlags(a: InvestigationArtifact): string {
  const n = a.recommended_next;
  const quote = (t: string) => `"${t.replace(/(["\\$`])/g, '\\$1')}"`;
  const parts = [`--question ${quote(n.question)}`];
  if (n.where.length > 0) parts.push(`--where ${quote(n.where.map((c) => `${c.dimension}=${c.value}`).join(','))}`);
  if (n.dimensions.length > 0) parts.push(`--dimensions ${quote(n.dimensions.join(','))}`);
  return parts.join(' ');
}
