import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../../src-shared/analyze-options';
import {
  DriversStartSchema,
  FactorsStartSchema,
  InvestigateStartSchema,
  RegressionStartSchema,
  SegmentsStartSchema,
} from '../../../src-shared/contract';
import { fieldsToCheck, OPTION_LABELS } from './option-labels';

describe('option labels', () => {
  it('name the form fields of an error, once each, in the order given', () => {
    expect(fieldsToCheck(['groupBy', 'minRecords'])).toBe('Check: Group by, Minimum records per segment');
    expect(fieldsToCheck(['k', 'kAuto', 'missing'])).toBe('Check: Number of factors, Days where a ticker has no price');
    expect(fieldsToCheck(['anchorDate'])).toBe('Check: Anchor date');
  });

  it('say nothing when the error names no option, and keep a key they do not know as it is', () => {
    expect(fieldsToCheck(undefined)).toBeNull();
    expect(fieldsToCheck([])).toBeNull();
    expect(fieldsToCheck(['identity', 'somethingNew'])).toBe('Check: Identity, somethingNew');
  });

  it('cover every option of analyze and of the workbench analyses', () => {
    const schemas = {
      AnalyzeOptionsSchema,
      DriversStartSchema,
      InvestigateStartSchema,
      SegmentsStartSchema,
      FactorsStartSchema,
      RegressionStartSchema,
    };
    const missing = Object.entries(schemas).flatMap(([name, schema]) =>
      Object.keys(schema.shape)
        .filter((key) => !(key in OPTION_LABELS))
        .map((key) => `${name}.${key}`),
    );
    expect(missing).toEqual([]);
  });
});
