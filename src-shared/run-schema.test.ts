import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from './analyze-options';
import { DriversStartSchema, FactorsStartSchema, InvestigateStartSchema, RegressionStartSchema, RunSchema } from './contract';

const summary = { id: 'r1', datasetId: 'd1', title: 'a run', createdAt: '2026-11-24T10:00:00.000Z', records: 8, segments: 3 };
const windows = { current: { start: '2026-02-01', end: '2026-02-28' }, previous: { start: '2026-01-01', end: '2026-01-31' } };
/** The options each kind stores (what the workbench parsed from its start request). */
const optionsOf = {
  analyze: AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales'] }),
  compare: { baseRunId: 'r0', newRunId: null, topMovers: 10 },
  drivers: DriversStartSchema.parse({ datasetId: 'd1', metric: 'revenue', dateColumn: 'day', windows }),
  investigate: InvestigateStartSchema.parse({ datasetId: 'd1', metric: 'revenue', windows }),
  factors: FactorsStartSchema.parse({ datasetId: 'd1', k: 3 }),
  regression: RegressionStartSchema.parse({ datasetId: 'd1', factorsDatasetId: 'd2', neweyWest: 'auto' }),
};
const runOf = (kind: keyof typeof optionsOf) => ({ ...summary, kind, options: optionsOf[kind], artifact: { kind, rows: [1, 2, 3] } });

describe('RunSchema', () => {
  it('reads a stored run of every kind back as it was', () => {
    for (const kind of Object.keys(optionsOf) as (keyof typeof optionsOf)[]) {
      const run = runOf(kind);
      const parsed = RunSchema.parse(run);
      expect(parsed, kind).toEqual(run);
      // The artifact is checked for its kind, not copied.
      expect(parsed.artifact, kind).toBe(run.artifact);
    }
  });

  it("refuses an artifact of another kind, options that are not the kind's, an unknown kind and a missing summary field", () => {
    const first = (value: unknown) => {
      const result = RunSchema.safeParse(value);
      return result.success ? null : { path: result.error.issues[0]!.path.join('.'), message: result.error.issues[0]!.message };
    };
    expect(first({ ...runOf('drivers'), artifact: { kind: 'analyze' } })).toEqual({
      path: 'artifact',
      message: 'the artifact is not a drivers artifact',
    });
    expect(first({ ...runOf('drivers'), artifact: null })).toEqual({ path: 'artifact', message: 'the artifact is not a drivers artifact' });
    expect(first({ ...runOf('factors'), options: { ...optionsOf.factors, k: 0 } })?.path).toBe('options.k');
    // A drivers run's options do not pass as an investigate run's (no windows there is an error).
    expect(first({ ...runOf('investigate'), options: { ...optionsOf.drivers, windows: null } })?.path).toBe('options.windows');
    expect(first({ ...runOf('compare'), options: { baseRunId: 'r0', newRunId: 'r1' } })).toBeNull();
    expect(first({ ...runOf('compare'), options: { baseRunId: 'r0', newRunId: 'r1', topMovers: 0 } })?.path).toBe('options.topMovers');
    expect(first({ ...runOf('analyze'), kind: 'forecast' })?.path).toBe('kind');
    const { createdAt: _, ...noDate } = runOf('analyze');
    expect(first(noDate)?.path).toBe('createdAt');
  });
});
