import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from './analyze-options';
import { applyProfile } from './profile-rules';

describe('applyProfile', () => {
  const defaults = AnalyzeOptionsSchema.parse({});
  const exec = { group_by: ['region'], top: 12, min_records: 20, where_clauses: ['channel=Direct, plan_tier = 1'] };

  it('fills every option the analyst did not give, and records the profile', () => {
    const out = applyProfile(defaults, exec, new Set(), 'exec');
    expect(out).toMatchObject({ groupBy: ['region'], top: 12, minRecords: 20, autoGroupK: 5, profile: 'exec' });
    expect(out.where).toEqual([
      { column: 'channel', value: 'Direct' },
      { column: 'plan_tier', value: '1' },
    ]);
  });

  it('keeps an option the analyst gave, even one equal to its default', () => {
    const out = applyProfile({ ...defaults, groupBy: ['channel'] }, exec, new Set(['groupBy', 'top'] as const), 'exec');
    expect(out).toMatchObject({ groupBy: ['channel'], top: 20, minRecords: 20 });
  });
});
