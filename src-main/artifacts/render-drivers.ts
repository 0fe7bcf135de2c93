import type { DriversArtifact } from '../../src-shared/artifacts/drivers';
import { driversStory } from '../../src-shared/artifacts/drivers-story';
import { driversExactness } from '../../src-shared/artifacts/decomposition-note';
import { formatNumber, formatSigned } from '../../src-shared/format';
import { barChartSvg, escapeHtml, htmlPage } from './render-html';
import { markdownName, markdownSentence, markdownText } from './markdown-escape';
import { markdownTable } from './render-markdown';

const pct1 = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

export function windowText(a: DriversArtifact): string {
  return a.window ? `${a.window.current_start}..${a.window.current_end} vs ${a.window.previous_start}..${a.window.previous_end}` : `base=${a.input} new=${a.input_new}`;
}

/** The console report, in the seed's shape (amounts and the story added for the exact methods; `seed` prints as the original tool). */
export function driversConsole(a: DriversArtifact, written: string[]): string {
  const seed = a.method === 'seed';
  const out = [`${a.metric} change: ${pct1(a.metric_change_pct)}`, '', `Window: ${windowText(a)}`, ''];
  if (!seed) out.push(...driversStory(a), '', driversExactness(a), '');
  out.push(a.identity.stated ? 'Identity (stated)' : 'Inferred identity', `- ${a.identity.expression.replace(' = ', ' ≈ ')}`, `- fit MAPE: ${(a.identity.fit_mape * 100).toFixed(2)}% across ${a.identity.fit_rows} rows`, '');
  out.push(`Driver contributions${seed ? '' : ` (${a.method.toUpperCase()})`}`);
  for (const d of a.drivers) out.push(`- ${d.name}: ${pct1(d.contrib_pct)}${seed ? '' : ` (${formatSigned(d.contrib_amount)})`}`);
  out.push('', 'Closure check');
  out.push(`- explained: ${pct1(a.explained_pct)}${a.explained_share_pct === null ? '' : ` (${a.explained_share_pct.toFixed(0)}%)`}`);
  out.push(`- residual: ${pct1(a.residual.residual_pct)} (${formatSigned(a.residual.residual_amount)})`);
  if (!seed) for (const p of a.residual.parts) out.push(`  - ${p.name}: ${formatSigned(p.amount)}`);
  if (a.bridge) {
    const b = a.bridge;
    out.push('', `Mix/rate bridge by ${b.dimension} (rate = ${a.metric} per ${b.volume_driver})`);
    out.push(`- volume: ${formatSigned(b.volume_effect)}`, `- mix: ${formatSigned(b.mix_effect)}`, `- rate: ${formatSigned(b.rate_effect)}`);
    if (b.new_segments + b.gone_segments > 0) out.push(`- new/gone segments (${b.new_segments} new, ${b.gone_segments} gone): ${formatSigned(b.new_or_gone_effect)}`);
  }
  if (a.residual.signals.length > 0) {
    out.push('', 'Residual segments');
    for (const s of a.residual.signals) out.push(`- ${s.name}: ${s.detail}`);
  }
  for (const w of a.warnings) out.push('', `Warning: ${w}`);
  if (written.length > 0) out.push('', 'Artifacts written', ...written.map((w) => `- ${w}`));
  return `${out.join('\n')}\n`;
}

export function driversMarkdown(a: DriversArtifact): string {
  const out = ['# Driver Decomposition', '', `- Input: ${markdownName(a.input)}`];
  if (a.input_new) out.push(`- Input new: ${markdownName(a.input_new)}`);
  out.push(`- Method: ${a.method}`, '', `## ${markdownText(a.metric)} change: ${pct1(a.metric_change_pct)}`, '', `Window: ${markdownName(windowText(a))}`, '');
  out.push(`- Base: ${formatNumber(a.metric_base)} (${a.base_rows} rows)`, `- New: ${formatNumber(a.metric_new)} (${a.new_rows} rows)`, `- Change: ${formatSigned(a.metric_change)}`);
  out.push('', '## In short', '', ...driversStory(a).map((line) => markdownText(line)), '', markdownText(driversExactness(a)));
  out.push('', `## ${a.identity.stated ? 'Identity' : 'Inferred identity'}`, '', markdownName(a.identity.expression), '', `Fit MAPE ${(a.identity.fit_mape * 100).toFixed(2)}% across ${a.identity.fit_rows} rows.`);
  if (a.candidates.length > 1) out.push('', 'Other candidates:', ...a.candidates.slice(1).map((c) => `- ${markdownName(c.expression)}: MAPE ${(c.fit_mape * 100).toFixed(2)}%`));
  out.push('', '## Driver contributions', '');
  out.push(
    ...markdownTable(
      [
        { label: 'Driver', align: 'left', format: (d) => d.name },
        { label: 'Base', align: 'right', format: (d) => formatNumber(d.base, 4) },
        { label: 'New', align: 'right', format: (d) => formatNumber(d.new, 4) },
        { label: 'Contribution %', align: 'right', format: (d) => `${formatSigned(d.contrib_pct)}%` },
        { label: 'Contribution', align: 'right', format: (d) => formatSigned(d.contrib_amount) },
      ],
      a.drivers,
    ),
  );
  out.push('', '## Closure check', '');
  out.push(`- actual change: ${formatSigned(a.metric_change)} (${formatSigned(a.metric_change_pct)}%)`);
  out.push(`- explained: ${formatSigned(a.explained_amount)} (${formatSigned(a.explained_pct)}%${a.explained_share_pct === null ? '' : `, ${a.explained_share_pct.toFixed(0)}% of the change`})`);
  out.push(`- residual: ${formatSigned(a.residual.residual_amount)} (${formatSigned(a.residual.residual_pct)}%).`);
  for (const p of a.residual.parts) out.push(`  - ${markdownText(p.name)}: ${formatSigned(p.amount)}`);
  if (a.bridge) {
    const b = a.bridge;
    out.push('', `## Mix/rate bridge by ${markdownText(b.dimension)}`, '', `Rate = ${markdownText(a.metric)} per ${markdownText(b.volume_driver)}: ${formatNumber(b.base_rate, 4)} → ${formatNumber(b.new_rate, 4)}.`, '');
    out.push(`- volume: ${formatSigned(b.volume_effect)}`, `- mix: ${formatSigned(b.mix_effect)}`, `- rate: ${formatSigned(b.rate_effect)}`, `- new/gone segments: ${formatSigned(b.new_or_gone_effect)}`, `- total (the modelled change): ${formatSigned(b.total)}`, '');
    out.push(
      ...markdownTable(
        [
          { label: b.dimension, align: 'left', format: (r) => r.segment },
          { label: `Base ${b.volume_driver}`, align: 'right', format: (r) => formatNumber(r.base_volume) },
          { label: `New ${b.volume_driver}`, align: 'right', format: (r) => formatNumber(r.new_volume) },
          { label: 'Base rate', align: 'right', format: (r) => formatNumber(r.base_rate, 4) },
          { label: 'New rate', align: 'right', format: (r) => formatNumber(r.new_rate, 4) },
          { label: 'Volume', align: 'right', format: (r) => formatSigned(r.volume_effect) },
          { label: 'Mix', align: 'right', format: (r) => formatSigned(r.mix_effect) },
          { label: 'Rate', align: 'right', format: (r) => formatSigned(r.rate_effect) },
          { label: 'New/gone', align: 'right', format: (r) => formatSigned(r.new_or_gone) },
        ],
        b.rows,
      ),
    );
  }
  if (a.residual.signals.length > 0) out.push('', '## Residual segments', '', ...a.residual.signals.map((s) => `- ${markdownText(s.name)}: ${markdownSentence(s.detail)}`));
  if (a.warnings.length > 0) out.push('', '## Warnings', '', ...a.warnings.map((w) => `- ${markdownSentence(w)}`));
  out.push('');
  return out.join('\n');
}

/** A standalone HTML report: the change, the identity, the bridge (each driver and residual part) as a chart. */
export function driversHtml(a: DriversArtifact): string {
  const li = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
  const steps = [...a.drivers.map((d) => ({ label: d.name, value: d.contrib_amount })), ...a.residual.parts.filter((p) => Math.abs(p.amount) > 1e-6).map((p) => ({ label: `residual: ${p.name}`, value: p.amount }))];
  const rows = a.drivers
    .map((d) => `<tr><td>${escapeHtml(d.name)}</td><td class="right">${formatNumber(d.base, 4)}</td><td class="right">${formatNumber(d.new, 4)}</td><td class="right">${formatSigned(d.contrib_pct)}%</td><td class="right">${formatSigned(d.contrib_amount)}</td></tr>`)
    .join('');
  const body = [
    '<h1>Driver Decomposition</h1>',
    li([`Input: ${a.input}`, ...(a.input_new ? [`Input new: ${a.input_new}`] : []), `Window: ${windowText(a)}`, `Method: ${a.method}`]),
    `<h2>${escapeHtml(a.metric)} change: ${pct1(a.metric_change_pct)} (${escapeHtml(formatSigned(a.metric_change))})</h2>`,
    li([`Base: ${formatNumber(a.metric_base)} (${a.base_rows} rows)`, `New: ${formatNumber(a.metric_new)} (${a.new_rows} rows)`]),
    `<h2>In short</h2>${driversStory(a)
      .map((line) => `<p>${escapeHtml(line)}</p>`)
      .join('')}<p>${escapeHtml(driversExactness(a))}</p>`,
    `<h2>${a.identity.stated ? 'Identity' : 'Inferred identity'}</h2><p><code>${escapeHtml(a.identity.expression)}</code>: fit MAPE ${(a.identity.fit_mape * 100).toFixed(2)}% across ${a.identity.fit_rows} rows</p>`,
    `<h2>Bridge from base to new</h2>${barChartSvg(steps, `Δ ${a.metric}`)}`,
    `<h2>Driver contributions</h2><table><thead><tr><th>Driver</th><th class="right">Base</th><th class="right">New</th><th class="right">Contribution %</th><th class="right">Contribution</th></tr></thead><tbody>${rows}</tbody></table>`,
    `<h2>Closure check</h2>${li([
      `explained: ${formatSigned(a.explained_amount)} (${formatSigned(a.explained_pct)}%)`,
      `residual: ${formatSigned(a.residual.residual_amount)} (${formatSigned(a.residual.residual_pct)}%)`,
      ...a.residual.parts.map((p) => `${p.name}: ${formatSigned(p.amount)}`),
    ])}`,
    ...(a.bridge
      ? [
          `<h2>Mix/rate bridge by ${escapeHtml(a.bridge.dimension)}</h2>${barChartSvg(
            [
              { label: 'volume', value: a.bridge.volume_effect },
              { label: 'mix', value: a.bridge.mix_effect },
              { label: 'rate', value: a.bridge.rate_effect },
              { label: 'new/gone segments', value: a.bridge.new_or_gone_effect },
            ],
            `Δ ${a.metric}`,
          )}`,
        ]
      : []),
    ...(a.residual.signals.length ? [`<h2>Residual segments</h2>${li(a.residual.signals.map((sg) => `${sg.name}: ${sg.detail}`))}`] : []),
    ...(a.warnings.length ? [`<h2>Warnings</h2>${li(a.warnings)}`] : []),
  ];
  return htmlPage(`FactorLens Drivers: ${a.metric}`, body.join('\n'), a.schema);
}
