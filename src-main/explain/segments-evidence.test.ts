import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentsOptionsSchema } from '../../src-shared/analysis-options';
import { deriveWindows } from '../../src-shared/periods';
import { runSegments } from '../engine/segments/run';
import { evidenceOf } from './evidence';
import { checkNumbers } from './fact-check';

describe('evidence of a segments run', () => {
  it('states the change and each part of the bridge, segments quoted; an answer citing them checks out', async () => {
    const a = await runSegments({
      input: path.resolve(__dirname, '../../data/demo_revenue_residual.csv'),
      source: null,
      inputNew: null,
      options: SegmentsOptionsSchema.parse({
        metric: 'revenue_usd',
        dimensions: ['region'],
        maxDepth: 1,
        dateColumn: 'date',
        windows: deriveWindows('month', 'last', '2026-04-15'),
      }),
    });
    const e = evidenceOf(a);
    expect(e[0]!.text).toBe(
      'metric="revenue_usd" kind=sum "2026-02-01..2026-02-28"=5370391.8 "2026-03-01..2026-03-31"=4490219.36 change=-880172.44 (-16.39%)',
    );
    expect(e[1]!.text).toBe('segment "region"="US": contribution=-550216.4 (62.51% of the change)');
    expect(e.at(-1)!.text).toBe('segment everything else: contribution=0 (0% of the change)');
    const checks = checkNumbers('Revenue fell 880,172.44 (16.4%); the US region gave -550,216.40 of it [E2].', e);
    expect(checks.every((c) => c.verified)).toBe(true);
  });
});
