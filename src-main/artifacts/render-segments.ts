import type { SegmentPart, SegmentsArtifact } from '../../src-shared/artifacts/segments';
import { segmentName, segmentsStory, shareText } from '../../src-shared/artifacts/segments-story';
import { formatCount, formatNumber, formatSigned } from '../../src-shared/format';
import { markdownName, markdownSentence, markdownText } from './markdown-escape';
import { barChartSvg, escapeHtml, htmlPage } from './render-html';
import { markdownTable } from './render-markdown';


const ratio = (a: SegmentsArtifact) => a.metric_kind !== 'sum';
/** A ratio's values are small: four decimals; a sum's two. */
const places = (a: SegmentsArtifact) => (ratio(a) ? 4 : 2);
const share = shareText;

function metricText(a: SegmentsArtifact): string {
  if (a.metric_kind === 'ratio') return `${a.metric} = Σ ${a.numerator} / Σ ${a.denominator}`;
  if (a.metric_kind === 'mean') return `${a.metric} (mean)`;
  return `${a.metric} (sum)`;
}

function comparisonText(a: SegmentsArtifact): string {
  if (a.comparison.mode === 'expected') return `actual ${a.metric} against expected ${a.comparison.expected_column}, row by row`;
  if (a.comparison.mode === 'files') return `${a.base_label} → ${a.current_label}`;
  return `${a.comparison.date_column}: ${a.base_label} → ${a.current_label}`;
}

/** What the console prints: the change, then the bridge, one line per part. */
export function segmentsConsole(a: SegmentsArtifact, written: string[]): string {
  const p = places(a);
  const out = [
    ...(a.fallback_reason ? [a.fallback_reason, ''] : []),
    `${a.metric}: ${formatNumber(a.base_value, p)} → ${formatNumber(a.current_value, p)} (${formatSigned(a.change, p)}${a.change_pct === null ? '' : `, ${formatSigned(a.change_pct, 1)}%`})`,
    `Compared: ${comparisonText(a)}`,
    `Dimensions: ${a.dimensions.join(', ')}${a.dimensions_auto ? ' (auto-detected)' : ''}`,
    '',
    ...segmentsStory(a),
    '',
    'Where it changed (segments that share no row; they add up to the change):',
    ...a.bridge.map((b) => `- ${segmentName(b)}: ${formatSigned(b.contribution, p)}${b.share === null ? '' : ` (${share(b.share)})`}${ratio(a) && b.status === 'both' ? ` [rate ${formatSigned(b.rate, p)}, mix ${formatSigned(b.mix, p)}]` : b.status === 'new' || b.status === 'gone' ? ` [${b.status}]` : ''}`),
    a.root_causes.length === 0
      ? 'Root cause: no segment moved apart from the rest beyond the noise (the change is spread).'
      : 'Root cause (segments whose own rows moved away from their baseline):',
    ...a.root_causes.map(
      (c) =>
        `- ${segmentName(c)}: ${formatSigned(c.contribution, p)}${c.share === null ? '' : ` (${share(c.share)})`}, explains ${(c.explanatory_power * 100).toFixed(0)}% of the departure, confidence ${c.confidence.toFixed(3)}`,
    ),
    ...a.warnings.map((w) => `Warning: ${w}`),
    `Written:\n${written.map((w) => `- ${w}`).join('\n')}`,
    '',
  ];
  return out.join('\n');
}

function partTable(a: SegmentsArtifact, parts: SegmentPart[], first: string, nameOf: (p: SegmentPart) => string): string[] {
  const p = places(a);
  return markdownTable(
    [
      { label: first, align: 'left', format: nameOf },
      { label: a.base_label, align: 'right', format: (r) => formatNumber(r.base, p) },
      { label: a.current_label, align: 'right', format: (r) => formatNumber(r.current, p) },
      { label: 'Contribution', align: 'right', format: (r) => formatSigned(r.contribution, p) },
      { label: 'Share of change', align: 'right', format: (r) => share(r.share) },
      ...(ratio(a)
        ? [
            { label: 'Rate', align: 'right' as const, format: (r: SegmentPart) => formatSigned(r.rate, p) },
            { label: 'Mix', align: 'right' as const, format: (r: SegmentPart) => formatSigned(r.mix, p) },
          ]
        : []),
      { label: 'Rows', align: 'right', format: (r) => `${formatCount(r.base_weight)} → ${formatCount(r.current_weight)}` },
    ],
    parts,
  );
}

export function segmentsMarkdown(a: SegmentsArtifact): string {
  const p = places(a);
  const out = [
    '# Where It Changed',
    '',
    ...(a.fallback_reason ? [markdownText(a.fallback_reason), ''] : []),
    `- Input: ${markdownName(a.input)}${a.input_new ? ` → ${markdownName(a.input_new)}` : ''}`,
    `- Metric: ${markdownText(metricText(a))}`,
    `- Compared: ${markdownText(comparisonText(a))}`,
    `- Dimensions: ${a.dimensions.map(markdownName).join(', ')}${a.dimensions_auto ? ' (auto-detected)' : ''}; segments of up to ${a.max_depth}`,
    `- Rows: ${formatCount(a.rows.base)} → ${formatCount(a.rows.current)}; ${formatCount(a.leaves)} combinations of the dimensions`,
    '',
    `## ${markdownText(a.metric)}: ${formatNumber(a.base_value, p)} → ${formatNumber(a.current_value, p)} (${formatSigned(a.change, p)}${a.change_pct === null ? '' : `, ${formatSigned(a.change_pct, 1)}%`})`,
    '',
    '## In short',
    '',
    ...segmentsStory(a).map((line) => markdownText(line)),
    '',
    '## Bridge',
    '',
    'Segments that share no row, the largest first; with everything else they add up to the change exactly.',
    '',
    ...partTable(a, a.bridge, 'Segment', segmentName),
    '',
    `Closure: the parts add up to the change within ${a.closure_error.toExponential(1)} of it.`,
    '',
    '## Root cause',
    '',
    ...(a.root_causes.length === 0
      ? ['No segment moved apart from the rest beyond the noise: the change is spread over the table.']
      : [
          'The fewest segments whose own rows moved away from their baseline, the most general that holds each move.',
          '',
          ...markdownTable(
            [
              { label: 'Segment', align: 'left', format: (c: SegmentsArtifact['root_causes'][number]) => segmentName(c) },
              { label: 'Contribution', align: 'right', format: (c) => formatSigned(c.contribution, p) },
              { label: 'Share of change', align: 'right', format: (c) => share(c.share) },
              { label: 'Explanatory power', align: 'right', format: (c) => `${(c.explanatory_power * 100).toFixed(1)}%` },
              { label: 'Surprise', align: 'right', format: (c) => c.surprise.toFixed(4) },
              { label: 'Confidence', align: 'right', format: (c) => c.confidence.toFixed(3) },
            ],
            a.root_causes,
          ),
        ]),
  ];
  for (const split of a.splits.slice(0, 3)) {
    out.push('', `## By ${markdownText(split.dimension)}`, '', ...partTable(a, split.parts.slice(0, 15), split.dimension, (r) => r.segment?.[0]?.value ?? 'everything else'));
    if (split.parts.length > 15) out.push('', `(${split.parts.length - 15} more values.)`);
  }
  if (a.warnings.length > 0) out.push('', '## Warnings', '', ...a.warnings.map((w) => `- ${markdownSentence(w)}`));
  out.push('');
  return out.join('\n');
}

export function segmentsHtml(a: SegmentsArtifact): string {
  const p = places(a);
  const li = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  const rows = (parts: SegmentPart[]) =>
    parts
      .map(
        (r) =>
          `<tr><td>${escapeHtml(segmentName(r))}</td><td class="right">${formatNumber(r.base, p)}</td><td class="right">${formatNumber(r.current, p)}</td><td class="right">${formatSigned(r.contribution, p)}</td><td class="right">${share(r.share)}</td>${ratio(a) ? `<td class="right">${formatSigned(r.rate, p)}</td><td class="right">${formatSigned(r.mix, p)}</td>` : ''}</tr>`,
      )
      .join('');
  const head = `<thead><tr><th>Segment</th><th class="right">${escapeHtml(a.base_label)}</th><th class="right">${escapeHtml(a.current_label)}</th><th class="right">Contribution</th><th class="right">Share of change</th>${ratio(a) ? '<th class="right">Rate</th><th class="right">Mix</th>' : ''}</tr></thead>`;
  const body = [
    '<h1>Where It Changed</h1>',
    ...(a.fallback_reason ? [`<p class="fallback">${escapeHtml(a.fallback_reason)}</p>`] : []),
    li([`Input: ${a.input}${a.input_new ? ` → ${a.input_new}` : ''}`, `Metric: ${metricText(a)}`, `Compared: ${comparisonText(a)}`, `Dimensions: ${a.dimensions.join(', ')}`]),
    `<h2>${escapeHtml(a.metric)}: ${formatNumber(a.base_value, p)} → ${formatNumber(a.current_value, p)} (${escapeHtml(formatSigned(a.change, p))})</h2>`,
    `<h2>In short</h2>${segmentsStory(a)
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}`,
    `<h2>Bridge</h2>${barChartSvg(
      a.bridge.map((b) => ({ label: segmentName(b), value: b.contribution })),
      `Δ ${a.metric}`,
    )}`,
    `<table>${head}<tbody>${rows(a.bridge)}</tbody></table>`,
    `<h2>Root cause</h2>${
      a.root_causes.length === 0
        ? '<p>No segment moved apart from the rest beyond the noise: the change is spread over the table.</p>'
        : li(
            a.root_causes.map(
              (c) =>
                `${segmentName(c)}: ${formatSigned(c.contribution, p)}${c.share === null ? '' : ` (${share(c.share)} of the change)`}, explains ${(c.explanatory_power * 100).toFixed(0)}% of the departure, confidence ${c.confidence.toFixed(3)}`,
            ),
          )
    }`,
    ...a.splits.slice(0, 3).map((s) => `<h2>By ${escapeHtml(s.dimension)}</h2><table>${head}<tbody>${rows(s.parts.slice(0, 15))}</tbody></table>`),
    ...(a.warnings.length ? [`<h2>Warnings</h2>${li(a.warnings)}`] : []),
  ];
  return htmlPage(`FactorLens Segments: ${a.metric}`, body.join('\n'), a.schema);
}
