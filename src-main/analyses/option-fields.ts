import { z } from 'zod';
import { AppError } from '../../src-shared/errors';

/** What a schema says about one option: its base type, choices, bounds, default and whether it must be given. */
export interface OptionField {
  type: 'text' | 'number' | 'switch' | 'choice' | 'list' | 'other';
  choices: readonly string[];
  min: number | null;
  max: number | null;
  /** The default as the schema fills it (undefined: none). */
  defaultValue: unknown;
  /** No default and not nullable: the analyst must give it. */
  required: boolean;
}

export function optionField(schema: z.ZodType, key: string): OptionField {
  const shape = (schema as unknown as z.ZodObject).shape as Record<string, z.ZodType> | undefined;
  let t: z.ZodType | undefined = shape?.[key];
  if (!t) throw new Error(`no option '${key}' in the schema`);
  let defaultValue: unknown;
  let optional = false;
  while (t instanceof z.ZodDefault || t instanceof z.ZodNullable || t instanceof z.ZodOptional) {
    if (t instanceof z.ZodDefault) defaultValue ??= t._zod.def.defaultValue;
    optional = true;
    t = t._zod.def.innerType as z.ZodType;
  }
  const base: Omit<OptionField, 'type'> = { choices: [], min: null, max: null, defaultValue, required: !optional };
  if (t instanceof z.ZodEnum) return { ...base, type: 'choice', choices: t.options.map(String) };
  if (t instanceof z.ZodNumber) {
    // An int() schema reports the safe-integer range as its bounds: only a bound the schema states counts.
    const bound = (v: number | null) => (v === null || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? null : v);
    return { ...base, type: 'number', min: bound(t.minValue), max: bound(t.maxValue) };
  }
  if (t instanceof z.ZodBoolean) return { ...base, type: 'switch' };
  if (t instanceof z.ZodString) return { ...base, type: 'text' };
  if (t instanceof z.ZodArray) return { ...base, type: 'list' };
  return { ...base, type: 'other' };
}

/** The default in words for a help line ("5", "lmdi"), or null when there is none worth showing. */
export function defaultText(field: OptionField): string | null {
  const v = field.defaultValue;
  if (v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0)) return null;
  return Array.isArray(v) ? v.join(',') : String(v);
}

/** A whole number written with digits; the schema checks its range afterwards (and names the flag). */
export function wholeNumberText(flag: string, text: string | true): number {
  const trimmed = String(text).trim();
  if (!/^\+?\d+$/.test(trimmed))
    throw new AppError(
      'BAD_ARGUMENT',
      `${flag} must be a whole number (got '${String(text)}')`,
      `Give ${flag} a whole number written with digits only, e.g. ${flag} 3.`,
    );
  return Number(trimmed);
}
