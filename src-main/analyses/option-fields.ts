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

/** "of 1 or more", "from 1 to 20": the whole numbers a flag accepts, in words. */
function wholeRange(min: number, max?: number): string {
  return max === undefined ? `of ${min} or more` : `from ${min} to ${max}`;
}

/** A whole-number flag value from `min` (to `max`); a typed BAD_ARGUMENT that says what to give otherwise. */
export function wholeNumber(flag: string, text: string, min: number, max?: number): number {
  const trimmed = text.trim();
  const n = /^\+?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || (max !== undefined && n > max)) {
    const example = Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(min, 10));
    throw new AppError(
      'BAD_ARGUMENT',
      `${flag} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`} (got '${text}')`,
      `Give ${flag} a whole number ${wholeRange(min, max)}, written with digits only, e.g. ${flag} ${example}.`,
    );
  }
  return n;
}
