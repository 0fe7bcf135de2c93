import { z } from 'zod';
import { SSL_MODES } from '../../../src-shared/analyze-options';
import { PERIOD_PRESETS, TIME_GRAINS } from '../../../src-shared/periods';
import type { CommandSurface, FlagSpec } from '../../analyses/definition';
import { optionField } from '../../analyses/option-fields';

/**
 * The MCP tools of the registry's commands, generated from their definitions: a tool per command
 * (`analyze-drivers` → `analyze_drivers`, `factors fit` → `factors_fit`) whose parameters are the
 * command's flags in snake_case (`--group-by` → `group_by`), typed by the definition's zod schema
 * (lists are JSON arrays, numbers are numbers) and described by the flag's help line.
 */

/** A JSON Schema object, as the MCP tool listing carries it. */
export type JsonSchema = Record<string, unknown>;

export interface ToolParam {
  /** The parameter's name: the flag's name in snake_case. */
  name: string;
  schema: JsonSchema;
  required: boolean;
}

/** `--group-by <cols>` → `group_by`. */
export const paramOfFlag = (flag: string): string => flag.replace(/^--/, '').split(/[ <[]/)[0]!.replace(/-/g, '_');

/** `analyze-drivers` → `analyze_drivers`, `factors fit` → `factors_fit`. */
export const toolNameOf = (command: string): string => command.replace(/[ -]/g, '_');

const text = (description: string): JsonSchema => ({ type: 'string', description });

/** The parameters of a table input beside its file: a Postgres query (the CLI's source flags). */
const SOURCE_PARAMS: ToolParam[] = [
  { name: 'query', schema: text('a SELECT to analyse instead of a file (runs read-only in the database)'), required: false },
  { name: 'query_file', schema: text('a file holding the SELECT (instead of query)'), required: false },
  {
    name: 'postgres_url',
    schema: text('postgres://user@host:5432/db for query (default: the server’s DATABASE_URL)'),
    required: false,
  },
  {
    name: 'postgres_ssl_mode',
    schema: { type: 'string', enum: [...SSL_MODES], description: "TLS, with libpq's meanings (default: the URL's sslmode, else prefer)" },
    required: false,
  },
  { name: 'postgres_ca_file', schema: text('PEM file of the CA certificate(s) that sign the server certificate'), required: false },
  { name: 'postgres_cert_file', schema: text('client certificate (with postgres_key_file)'), required: false },
  { name: 'postgres_key_file', schema: text('client private key'), required: false },
  {
    name: 'statement_timeout',
    schema: { type: 'integer', minimum: 0, default: 300, description: 'seconds after which the server stops the query (0: never)' },
    required: false,
  },
];

const date = (description: string): JsonSchema => ({ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

/** The two windows compared: derived (grain, preset, anchor) or four explicit dates, as the CLI's period flags. */
function periodParams(withDateColumn: boolean): ToolParam[] {
  return [
    ...(withDateColumn
      ? [{ name: 'date_column', schema: text('date column of the period comparison (any period parameter turns it on)'), required: false }]
      : []),
    {
      name: 'time_grain',
      schema: { type: 'string', enum: [...TIME_GRAINS], description: 'period length (default month)' },
      required: false,
    },
    {
      name: 'period',
      schema: {
        type: 'string',
        enum: [...PERIOD_PRESETS],
        description: 'current: the period holding the anchor; previous/last: the one before (default last)',
      },
      required: false,
    },
    { name: 'anchor_date', schema: date('date the periods are counted from, YYYY-MM-DD (default today, UTC)'), required: false },
    { name: 'current_start', schema: date('explicit current window start (with the three others)'), required: false },
    { name: 'current_end', schema: date('explicit current window end'), required: false },
    { name: 'previous_start', schema: date('explicit previous window start'), required: false },
    { name: 'previous_end', schema: date('explicit previous window end'), required: false },
  ];
}

/** The JSON Schema of each option of a definition, as zod writes it for the values it accepts. */
function optionSchemas(def: CommandSurface): Record<string, JsonSchema> {
  const whole = z.toJSONSchema(def.options, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> };
  return whole.properties ?? {};
}

/** An option's parameter: its schema from zod, its help from the flag (choices given as text switches become an enum). */
function optionParam(def: CommandSurface, spec: FlagSpec, schemas: Record<string, JsonSchema>): ToolParam {
  const schema: JsonSchema = { ...(schemas[spec.key] ?? {}) };
  if (spec.choices && schema.type === undefined) Object.assign(schema, { type: 'string', enum: [...spec.choices] });
  // Very large bounds are the safe-integer range zod gives every int: not a rule worth reading.
  if (typeof schema.maximum === 'number' && schema.maximum >= Number.MAX_SAFE_INTEGER) delete schema.maximum;
  schema.description = spec.help;
  return { name: paramOfFlag(spec.flag), schema, required: optionField(def.options, spec.key).required };
}

/** Every parameter of a command's tool except the output ones: inputs, then options, in the CLI's order. */
export function commandParams(def: CommandSurface): ToolParam[] {
  const params: ToolParam[] = [];
  const schemas = optionSchemas(def);
  for (const input of def.inputs) {
    if (input.flag === '--input') {
      // A table: a file, or a Postgres query; which one is checked when the tool runs.
      params.push({
        name: 'input',
        schema: text('the table to read: a CSV/TSV, Parquet or JSON file inside the read folders (or give query instead)'),
        required: false,
      });
      params.push(...SOURCE_PARAMS);
    } else params.push({ name: paramOfFlag(input.flag), schema: text(input.help), required: input.required });
  }
  if (def.profiles) {
    params.push(
      {
        name: 'profile',
        schema: text('fill unset options from a profile: exec, segment, supplier, or one of profile_config'),
        required: false,
      },
      { name: 'profile_config', schema: text('TOML file with [profiles.<name>] tables'), required: false },
    );
  }
  for (const spec of def.flags) {
    if (spec.flag === 'period') params.push(...periodParams(false));
    else if (spec.flag === 'period-options') params.push(...periodParams(true));
    else params.push(optionParam(def, spec, schemas));
  }
  return params;
}

/** The tool's input schema from its parameters. */
export function objectSchema(params: ToolParam[]): JsonSchema {
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
    required: params.filter((p) => p.required).map((p) => p.name),
    additionalProperties: false,
  };
}
