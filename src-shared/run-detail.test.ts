import { describe, expect, it } from 'vitest';
import { runDetail, windowSpan } from './run-detail';

describe('runDetail: a history line that tells runs apart', () => {
  it('names an analyze run by its grouping and explicit windows', () => {
    const options = {
      groupBy: ['region'],
      rankBy: 'revenue_usd',
      period: {
        mode: 'explicit',
        dateColumn: 'date',
        previous: { start: '2026-02-01', end: '2026-02-28' },
        current: { start: '2026-03-01', end: '2026-03-31' },
      },
    };
    expect(runDetail('analyze', options)).toBe('Analyze · region · Feb → Mar 2026 · by revenue_usd');
  });

  it('resolves derived windows from the anchor, and says when grouping was automatic', () => {
    const options = { groupBy: [], period: { mode: 'derived', dateColumn: 'd', grain: 'month', preset: 'last', anchorDate: '2026-01-15' } };
    expect(runDetail('analyze', options)).toBe('Analyze · auto grouping · Nov → Dec 2025');
  });

  it('names drivers by metric, method, mix dimension and windows; snapshots when there are no windows', () => {
    const windows = { previous: { start: '2025-10-01', end: '2025-12-31' }, current: { start: '2026-01-01', end: '2026-03-31' } };
    expect(runDetail('drivers', { metric: 'revenue', method: 'lmdi', by: 'region', windows })).toBe(
      'Drivers · revenue · Q4 2025 → Q1 2026 · LMDI · mix by region',
    );
    expect(runDetail('drivers', { metric: 'revenue', method: 'shapley', newDatasetId: 'x' })).toBe(
      'Drivers · revenue · shapley · two snapshots',
    );
  });

  it('reads old options that lack fields without failing', () => {
    expect(runDetail('analyze', {})).toBe('Analyze · auto grouping');
    expect(runDetail('investigation', null)).toBe('Investigation');
  });

  it('writes partial windows as days', () => {
    expect(windowSpan({ start: '2026-02-02', end: '2026-02-08' }, { start: '2026-02-09', end: '2026-02-15' })).toBe(
      'Feb 2–8 → Feb 9–15 2026',
    );
    expect(windowSpan({ start: '2025-01-01', end: '2025-12-31' }, { start: '2026-01-01', end: '2026-12-31' })).toBe('2025 → 2026');
  });
});
