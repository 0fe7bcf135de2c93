import { z } from 'zod';
import { AnalyzeOptionsSchema, OUTPUT_FORMATS, SSL_MODES, type AnalyzeOptions } from './analyze-options';
import type { AnalyzeArtifact } from './artifacts/analyze';
import type { CompareArtifact } from './artifacts/compare';
import type { SuggestArtifact } from './artifacts/suggest';
import type { DriversArtifact } from './artifacts/drivers';
import type { InvestigateArtifact } from './artifacts/investigate';
import type { InvestigationArtifact } from './artifacts/investigation';
import type { SegmentsArtifact } from './artifacts/segments';
import { SegmentSplitRequestSchema, SegmentSplitSchema } from './segment-split';
import type { FactorsArtifact, RegressionArtifact } from './artifacts/factors';
import { SuggestOptionsSchema } from './suggest-options';
import {
  CompareOptionsSchema,
  DriversOptionsSchema,
  FactorsOptionsSchema,
  InvestigateOptionsSchema,
  InvestigationOptionsSchema,
  RegressionOptionsSchema,
  SegmentsOptionsSchema,
} from './analysis-options';
import type { ErrorInfo } from './errors';

/**
 * The API contract between the renderer and whichever host serves it (Electron IPC or the
 * web host's HTTP API). Every call is listed here once with its request and response schema;
 * hosts validate requests with these schemas before doing anything.
 */

export const COLUMN_TYPES = ['number', 'date', 'text'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

export const ColumnSchema = z.object({
  name: z.string(),
  type: z.enum(COLUMN_TYPES),
  /** Non-empty cells in the sample. */
  filled: z.number(),
  /** Distinct values in the sample. */
  distinct: z.number(),
});
export type Column = z.infer<typeof ColumnSchema>;

export const DatasetSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  addedAt: z.string(),
  rowCount: z.number().nullable(),
  columns: z.array(ColumnSchema),
  /** What analyze picks when the analyst leaves group-by / metrics empty. */
  autoGroupBy: z.array(z.string()),
  autoMetrics: z.array(z.string()),
  /** A query dataset: its rows are a Postgres query over a saved connection (`path` then names it). */
  query: z.object({ connectionId: z.string(), sql: z.string() }).nullable().optional(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

/** The analyze form's look-ups of a dataset (see src-main/services/dataset-values.ts). */
export const ColumnValuesSchema = z.object({
  /** Most rows first: the trimmed value and its rows. */
  values: z.array(z.object({ value: z.string(), rows: z.number().int() })),
  /** Distinct filled values (containing the search text, when one was given). */
  distinct: z.number().int(),
});
export type ColumnValues = z.infer<typeof ColumnValuesSchema>;
const DayWindowSchema = z.object({ start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export const MatchCountsRequestSchema = z
  .object({
    id: z.string().min(1),
    where: z.array(z.object({ column: z.string().min(1), value: z.string() })).default([]),
    whereIgnoreCase: z.boolean().default(false),
    period: z
      .object({ dateColumn: z.string().min(1), current: DayWindowSchema, previous: DayWindowSchema })
      .nullable()
      .default(null),
  })
  .strict();
export type MatchCountsRequest = z.infer<typeof MatchCountsRequestSchema>;
export const MatchCountsSchema = z.object({
  rows: z.number().int(),
  /** Rows every filter keeps. */
  kept: z.number().int(),
  /** Rows each filter keeps on its own (same order as the request's). */
  perFilter: z.array(z.number().int()),
  /** Kept rows in each window, when a period was given. */
  windows: z.object({ current: z.number().int(), previous: z.number().int() }).nullable(),
});
export type MatchCounts = z.infer<typeof MatchCountsSchema>;
export const DateRangeSchema = z.object({
  column: z.string(),
  first: z.string().nullable(),
  last: z.string().nullable(),
  dates: z.number().int(),
});
export type DateRange = z.infer<typeof DateRangeSchema>;

/** A saved Postgres connection. The password is never part of it (see `passwordSaved`). */
export const ConnectionSchema = z.object({
  id: z.string(),
  name: z.string().trim().min(1).max(100),
  host: z.string().trim().min(1),
  port: z.number().int().min(1).max(65535),
  database: z.string().trim().min(1),
  user: z.string().trim().min(1),
  sslMode: z.enum(SSL_MODES),
  caFile: z.string().min(1).nullable(),
  certFile: z.string().min(1).nullable(),
  keyFile: z.string().min(1).nullable(),
  /** The OS secret store holds its password (encrypted in the workspace; never plain text). */
  passwordSaved: z.boolean(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

/** A connection as edited: no id yet (or the one it replaces), and a password typed now. */
export const ConnectionInputSchema = ConnectionSchema.omit({ id: true, passwordSaved: true })
  .extend({
    id: z.string().min(1).nullable().default(null),
    /** null: keep the saved one (or none). */
    password: z.string().nullable().default(null),
    /** Keep the password in the OS secret store; otherwise it lasts until the app closes. */
    rememberPassword: z.boolean().default(true),
  })
  .strict();
export type ConnectionInput = z.input<typeof ConnectionInputSchema>;

export const SchemaTableSchema = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'view']),
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
});
export type SchemaTable = z.infer<typeof SchemaTableSchema>;

export const PreviewSchema = z.object({
  dataset: DatasetSchema,
  rows: z.array(z.array(z.string().nullable())),
});
export type Preview = z.infer<typeof PreviewSchema>;

/** A view of a whole dataset in the data grid: its sort, column filters and search (see src-main/sources/table-page.ts). */
/**
 * `=i`: equal ignoring case (a drill-down of a run whose filters ignored case). `between`: a date
 * column's day within windows, written `YYYY-MM-DD..YYYY-MM-DD`, several joined by `,` (any of them keeps a row).
 */
export const TABLE_FILTER_OPS = ['=', '!=', 'contains', '>', '<', '>=', '<=', '=i', 'between'] as const;
export type TableFilterOp = (typeof TABLE_FILTER_OPS)[number];
export const TableViewSchema = z.object({
  id: z.string().min(1),
  sort: z
    .object({ column: z.string().min(1), direction: z.enum(['asc', 'desc']) })
    .nullable()
    .default(null),
  filters: z.array(z.object({ column: z.string().min(1), op: z.enum(TABLE_FILTER_OPS), value: z.string() })).default([]),
  /** Rows where any column contains this text (case-insensitive); blank: every row. */
  search: z.string().max(200).default(''),
});
export type TableView = z.input<typeof TableViewSchema>;
export type TableFilter = z.infer<typeof TableViewSchema>['filters'][number];
export const TablePageSchema = z.object({
  /** Cells as text, null kept; one array per row, in the dataset's column order. */
  rows: z.array(z.array(z.string().nullable())),
  /** Rows of the view (after filters and search). */
  total: z.number().int(),
  offset: z.number().int(),
});
export type TablePage = z.infer<typeof TablePageSchema>;

export const RUN_KINDS = ['analyze', 'compare', 'drivers', 'investigate', 'segments', 'factors', 'regression', 'investigation'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const RunSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(RUN_KINDS),
  datasetId: z.string().nullable(),
  title: z.string(),
  createdAt: z.string(),
  records: z.number(),
  segments: z.number(),
  /** What tells it from runs of the same title: method, grouping, windows (src-shared/run-detail.ts). */
  detail: z.string().optional(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

/** A stored compare run's options: the runs it compared (null for an artifact brought in as a file) and its movers. */
export const CompareRunOptionsSchema = CompareOptionsSchema.extend({
  baseRunId: z.string().min(1).nullable(),
  newRunId: z.string().min(1).nullable(),
});
export type CompareOptions = z.infer<typeof CompareRunOptionsSchema>;

/**
 * The start requests of the analyses the workbench runs: the datasets they read, plus that
 * analysis's options (src-shared/analysis-options.ts, where every default lives).
 */
export const DriversStartSchema = z
  .object({
    datasetId: z.string().min(1),
    /** Two-dataset mode: the new snapshot. */
    newDatasetId: z.string().min(1).nullable().default(null),
  })
  .extend(DriversOptionsSchema.shape)
  .strict();
export type DriversStart = z.infer<typeof DriversStartSchema>;

export const InvestigateStartSchema = z
  .object({ datasetId: z.string().min(1) })
  .extend(InvestigateOptionsSchema.shape)
  .strict();
export type InvestigateStart = z.infer<typeof InvestigateStartSchema>;

/** A factor model of a prices dataset; weights from another dataset (portfolio or holdings columns) or equal. */
export const FactorsStartSchema = z
  .object({ datasetId: z.string().min(1), weightsDatasetId: z.string().min(1).nullable().default(null) })
  .extend(FactorsOptionsSchema.shape)
  .strict();
export type FactorsStart = z.infer<typeof FactorsStartSchema>;

/** A known-factor regression of a prices dataset's portfolio on a factor-returns dataset. */
export const RegressionStartSchema = z
  .object({
    datasetId: z.string().min(1),
    factorsDatasetId: z.string().min(1),
    weightsDatasetId: z.string().min(1).nullable().default(null),
  })
  .extend(RegressionOptionsSchema.shape)
  .strict();
export type RegressionStart = z.infer<typeof RegressionStartSchema>;

/** Where a metric changed: a dataset (two periods, or an expected column), or two datasets. */
export const SegmentsStartSchema = z
  .object({ datasetId: z.string().min(1), newDatasetId: z.string().min(1).nullable().default(null) })
  .extend(SegmentsOptionsSchema.shape)
  .strict();
export type SegmentsStart = z.infer<typeof SegmentsStartSchema>;

/** The guided investigation (factorlens investigate): a dataset (two periods), or two datasets (base and new snapshots). */
/** A dataset (two periods), two datasets (two snapshots), or two analyze runs of the history (their groups; no drill-down). */
export const InvestigationStartSchema = z
  .object({
    datasetId: z.string().min(1).nullable().default(null),
    newDatasetId: z.string().min(1).nullable().default(null),
    baseRunId: z.string().min(1).nullable().default(null),
    newRunId: z.string().min(1).nullable().default(null),
  })
  .extend(InvestigationOptionsSchema.shape)
  .strict();
export type InvestigationStart = z.infer<typeof InvestigationStartSchema>;

export type Run = RunSummary &
  (
    | { kind: 'analyze'; options: AnalyzeOptions; artifact: AnalyzeArtifact }
    | { kind: 'compare'; options: CompareOptions; artifact: CompareArtifact }
    | { kind: 'drivers'; options: DriversStart; artifact: DriversArtifact }
    | { kind: 'investigate'; options: InvestigateStart; artifact: InvestigateArtifact }
    | { kind: 'segments'; options: SegmentsStart; artifact: SegmentsArtifact }
    | { kind: 'factors'; options: FactorsStart; artifact: FactorsArtifact }
    | { kind: 'regression'; options: RegressionStart; artifact: RegressionArtifact }
    | { kind: 'investigation'; options: InvestigationStart; artifact: InvestigationArtifact }
  );

/** An artifact is checked for its kind only: the engine built it, and a full check would cost as much as the run's many rows. */
const artifactOf = <A extends { kind: RunKind }>(kind: A['kind']) =>
  z.custom<A>(
    (v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === kind,
    `the artifact is not a ${kind} artifact`,
  );

/** A stored run: its summary, the options it ran with (parsed by that analysis's schema) and its artifact. */
export const RunSchema = z.discriminatedUnion('kind', [
  RunSummarySchema.extend({ kind: z.literal('analyze'), options: AnalyzeOptionsSchema, artifact: artifactOf<AnalyzeArtifact>('analyze') }),
  RunSummarySchema.extend({
    kind: z.literal('compare'),
    options: CompareRunOptionsSchema,
    artifact: artifactOf<CompareArtifact>('compare'),
  }),
  RunSummarySchema.extend({ kind: z.literal('drivers'), options: DriversStartSchema, artifact: artifactOf<DriversArtifact>('drivers') }),
  RunSummarySchema.extend({
    kind: z.literal('investigate'),
    options: InvestigateStartSchema,
    artifact: artifactOf<InvestigateArtifact>('investigate'),
  }),
  RunSummarySchema.extend({
    kind: z.literal('segments'),
    options: SegmentsStartSchema,
    artifact: artifactOf<SegmentsArtifact>('segments'),
  }),
  RunSummarySchema.extend({ kind: z.literal('factors'), options: FactorsStartSchema, artifact: artifactOf<FactorsArtifact>('factors') }),
  RunSummarySchema.extend({
    kind: z.literal('regression'),
    options: RegressionStartSchema,
    artifact: artifactOf<RegressionArtifact>('regression'),
  }),
  RunSummarySchema.extend({
    kind: z.literal('investigation'),
    options: InvestigationStartSchema,
    artifact: artifactOf<InvestigationArtifact>('investigation'),
  }),
]) satisfies z.ZodType<Run>;

/** Profile values as stored and as written to TOML (the seed's keys). */
export const ProfileValuesSchema = z
  .object({
    group_by: z.array(z.string().min(1)).optional(),
    metrics: z.array(z.string().min(1)).optional(),
    where_clauses: z.array(z.string().min(1)).optional(),
    rank_by: z.string().min(1).optional(),
    top: z.number().int().min(1).optional(),
    min_records: z.number().int().min(1).optional(),
    auto_group_k: z.number().int().min(1).max(20).optional(),
  })
  .strict();
export type ProfileValues = z.infer<typeof ProfileValuesSchema>;
/** Names are TOML bare keys, so a profile file always reads back the same. */
export const PROFILE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
export const NamedProfileSchema = z.object({
  name: z.string().regex(PROFILE_NAME, 'use letters, digits, - and _ (at most 64)'),
  profile: ProfileValuesSchema,
});
export type NamedProfile = z.infer<typeof NamedProfileSchema>;

export const WorkspaceSchema = z.object({
  name: z.string(),
  path: z.string(),
  datasets: z.array(DatasetSchema),
  runs: z.array(RunSummarySchema),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

/** The renderings every run has; factor runs also export their day-by-day table as CSV. */
export const RENDER_FORMATS = ['md', 'json', 'html'] as const satisfies readonly (typeof OUTPUT_FORMATS)[number][];
export type RenderFormat = (typeof RENDER_FORMATS)[number];
export const EXPORT_FORMATS = [...RENDER_FORMATS, 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportSchema = z.object({
  filename: z.string(),
  mime: z.string(),
  content: z.string(),
});
export type ExportedFile = z.infer<typeof ExportSchema>;

/** Explain: which model answers, and how. Stored in the workspace (no secrets: AWS credentials come from the SDK's chain). */
export const EXPLAIN_BACKENDS = ['local', 'bedrock'] as const;
export const DEFAULT_BEDROCK_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';
export const ExplainSettingsSchema = z
  .object({
    backend: z.enum(EXPLAIN_BACKENDS).default('local'),
    /** The chosen GGUF file (bundled, in the models folder, or added). */
    localModel: z.string().nullable().default(null),
    /** Tokens of context and CPU threads; null picks them for this machine. */
    contextSize: z.number().int().min(256).max(131072).nullable().default(null),
    threads: z.number().int().min(1).max(256).nullable().default(null),
    /** Model files added one by one with Add model…. */
    addedModels: z.array(z.string()).default([]),
    bedrock: z
      .object({
        modelId: z.string().trim().default(DEFAULT_BEDROCK_MODEL),
        region: z.string().trim().default(''),
        profile: z.string().trim().default(''),
        endpoint: z.string().trim().default(''),
      })
      .strict()
      .default({ modelId: DEFAULT_BEDROCK_MODEL, region: '', profile: '', endpoint: '' }),
    maxTokens: z.number().int().min(16).max(4096).default(700),
    temperature: z.number().min(0).max(2).default(0.2),
  })
  .strict();
export type ExplainSettings = z.infer<typeof ExplainSettingsSchema>;

export const ModelInfoSchema = z.object({
  path: z.string(),
  file: z.string(),
  source: z.enum(['bundled', 'user', 'added']),
  sizeBytes: z.number(),
  name: z.string().nullable(),
  architecture: z.string().nullable(),
  parameters: z.number().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().nullable(),
  problem: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const EvidenceSchema = z.object({ id: z.string(), text: z.string(), values: z.array(z.number()) });
export const CheckedNumberSchema = z.object({
  text: z.string(),
  value: z.number(),
  index: z.number(),
  verified: z.boolean(),
  evidence: z.array(z.string()),
});
export type CheckedNumberInfo = z.infer<typeof CheckedNumberSchema>;

/** One message of a run's conversation, saved with the run. */
export const ChatMessageSchema = z.object({
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  at: z.string(),
  /** Assistant messages: who answered, whether it was stopped, and the check of its numbers. */
  backend: z.string().optional(),
  stopped: z.boolean().optional(),
  truncated: z.boolean().optional(),
  grounded: z.boolean().optional(),
  checks: z.array(CheckedNumberSchema).optional(),
  /** Evidence lines left out of the prompt to fit the model's context. */
  omitted: z.number().optional(),
  /** A focused answer (factor models) had its own evidence lines; its ids refer to these. */
  focus: z.array(z.number()).optional(),
  evidence: z.array(EvidenceSchema).optional(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ConversationSchema = z.object({
  runId: z.string(),
  messages: z.array(ChatMessageSchema),
  /** The run's evidence lines, for the links of verified numbers. */
  evidence: z.array(EvidenceSchema),
  /** A summary built from the evidence alone, offered when no model is set up (no model involved). */
  summary: z.string(),
});
export type Conversation = z.infer<typeof ConversationSchema>;

const Empty = z.object({}).strict();
const ById = z.object({ id: z.string().min(1) }).strict();

export const calls = {
  'workspace.get': { request: Empty, response: WorkspaceSchema },
  'datasets.addFile': { request: z.object({ path: z.string().min(1) }).strict(), response: DatasetSchema },
  'datasets.preview': {
    request: z
      .object({ id: z.string().min(1), where: z.array(z.object({ column: z.string().min(1), value: z.string() })).default([]) })
      .strict(),
    response: PreviewSchema,
  },
  /** A page of a dataset's rows in a view (sorted, filtered, searched), read by the scan engine. */
  'datasets.rows': {
    request: TableViewSchema.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(),
    response: TablePageSchema,
  },
  /** A column's most common values with their rows (those containing `search`, ignoring case), for the filter pickers. */
  'datasets.values': {
    request: z
      .object({
        id: z.string().min(1),
        column: z.string().min(1),
        search: z.string().default(''),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    response: ColumnValuesSchema,
  },
  /** Rows the filters keep (together and each alone) and, with a period, kept rows per window: checked before a run. */
  'datasets.matchCount': { request: MatchCountsRequestSchema, response: MatchCountsSchema },
  /** A date column's first and last day: the period windows anchor on the last. */
  'datasets.dateRange': { request: z.object({ id: z.string().min(1), column: z.string().min(1) }).strict(), response: DateRangeSchema },
  /** Every row of a view as CSV text (at most 500,000 rows), for a download. */
  'datasets.exportCsv': {
    request: TableViewSchema.strict(),
    response: z.object({ name: z.string(), csv: z.string(), rows: z.number().int() }),
  },
  'drivers.start': { request: DriversStartSchema, response: z.object({ jobId: z.string() }) },
  'investigate.start': { request: InvestigateStartSchema, response: z.object({ jobId: z.string() }) },
  'segments.start': { request: SegmentsStartSchema, response: z.object({ jobId: z.string() }) },
  'investigation.start': { request: InvestigationStartSchema, response: z.object({ jobId: z.string() }) },
  /** The decomposition tree: a node of a segments run split by a dimension (computed from the cube kept with the run). */
  'segments.split': { request: SegmentSplitRequestSchema, response: SegmentSplitSchema },
  'factors.start': { request: FactorsStartSchema, response: z.object({ jobId: z.string() }) },
  'regression.start': { request: RegressionStartSchema, response: z.object({ jobId: z.string() }) },
  /** Renames a factor model's factors: given names, or a factor-labels CSV/TSV's content. */
  'factors.labels': {
    request: z
      .object({
        id: z.string().min(1),
        labels: z.array(z.string().trim().min(1).max(120)).optional(),
        file: z.object({ name: z.string().min(1), content: z.string() }).optional(),
      })
      .strict()
      .refine((r) => (r.labels === undefined) !== (r.file === undefined), 'give either labels or a file'),
    response: RunSchema,
  },
  'connections.list': {
    request: Empty,
    response: z.object({
      connections: z.array(ConnectionSchema),
      secretStore: z.object({ kind: z.enum(['os', 'session']), label: z.string() }),
    }),
  },
  'connections.save': { request: ConnectionInputSchema, response: ConnectionSchema },
  'connections.remove': { request: ById, response: z.object({ removed: z.boolean() }) },
  /** Connects (TLS as the mode says), runs a trivial query, and says what it found. */
  'connections.test': {
    request: ConnectionInputSchema,
    response: z.object({ serverVersion: z.string(), tls: z.boolean(), user: z.string(), database: z.string() }),
  },
  'connections.schema': { request: ById, response: z.object({ tables: z.array(SchemaTableSchema) }) },
  'connections.preview': {
    request: z.object({ id: z.string().min(1), sql: z.string().min(1), limit: z.number().int().min(1).max(1000).default(50) }).strict(),
    response: z.object({
      columns: z.array(z.object({ name: z.string(), type: z.string() })),
      rows: z.array(z.array(z.string().nullable())),
    }),
  },
  'datasets.addQuery': {
    request: z.object({ connectionId: z.string().min(1), name: z.string().trim().min(1).max(120), sql: z.string().min(1) }).strict(),
    response: DatasetSchema,
  },
  'datasets.remove': { request: ById, response: z.object({ removed: z.boolean() }) },
  'analyze.start': {
    request: z.object({ datasetId: z.string().min(1), options: AnalyzeOptionsSchema }).strict(),
    response: z.object({ jobId: z.string() }),
  },
  'explain.settings': { request: Empty, response: ExplainSettingsSchema },
  'explain.saveSettings': { request: ExplainSettingsSchema, response: ExplainSettingsSchema },
  /** Models found in the bundled and user folders and added ones, with their header metadata. */
  'explain.models': {
    request: Empty,
    response: z.object({
      models: z.array(ModelInfoSchema),
      folders: z.object({ bundled: z.string(), user: z.string() }),
      recommended: z.object({ contextSize: z.number(), threads: z.number() }),
    }),
  },
  'explain.addModel': { request: z.object({ path: z.string().min(1) }).strict(), response: ModelInfoSchema },
  /** Checks the chosen backend: loads the local model, or asks Bedrock for one word. */
  'explain.test': { request: Empty, response: z.object({ backend: z.string(), detail: z.string() }) },
  'explain.conversation': { request: z.object({ runId: z.string().min(1) }).strict(), response: ConversationSchema },
  /** Asks about a run; the answer streams as `text` job events and is saved with the run. */
  'explain.ask': {
    request: z
      .object({
        runId: z.string().min(1),
        question: z.string().trim().min(1).max(2000),
        /** Factor models: the factors (0-based) the answer is about; their lines only, and their worst day. */
        focus: z.array(z.number().int().min(0)).optional(),
      })
      .strict(),
    response: z.object({ jobId: z.string() }),
  },
  'explain.clear': { request: z.object({ runId: z.string().min(1) }).strict(), response: ConversationSchema },
  'jobs.cancel': { request: z.object({ jobId: z.string().min(1) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'runs.get': { request: ById, response: RunSchema },
  'runs.remove': { request: ById, response: z.object({ removed: z.boolean() }) },
  'runs.export': {
    request: z.object({ id: z.string().min(1), format: z.enum(EXPORT_FORMATS) }).strict(),
    response: ExportSchema,
  },
  'runs.rename': {
    request: z.object({ id: z.string().min(1), title: z.string().trim().min(1).max(200) }).strict(),
    response: RunSummarySchema,
  },
  'runs.rerun': { request: ById, response: z.object({ jobId: z.string() }) },
  'compare.runs': {
    request: z.object({ baseId: z.string().min(1), newId: z.string().min(1), topMovers: CompareOptionsSchema.shape.topMovers }).strict(),
    response: z.object({ runId: z.string() }),
  },
  'compare.artifacts': {
    request: z
      .object({
        base: z.object({ label: z.string().min(1), json: z.unknown() }),
        new: z.object({ label: z.string().min(1), json: z.unknown() }),
        topMovers: CompareOptionsSchema.shape.topMovers,
      })
      .strict(),
    response: z.object({ runId: z.string() }),
  },
  'datasets.suggest': {
    request: z
      .object({ id: z.string().min(1) })
      .extend(SuggestOptionsSchema.pick({ sampleRows: true, sampleMode: true, sampleSeed: true }).shape)
      .strict(),
    response: z.custom<SuggestArtifact>((v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'suggest'),
  },
  'profiles.list': { request: Empty, response: z.object({ builtins: z.array(NamedProfileSchema), saved: z.array(NamedProfileSchema) }) },
  'profiles.save': { request: NamedProfileSchema.extend({ replaces: z.string().optional() }).strict(), response: NamedProfileSchema },
  'profiles.remove': { request: z.object({ name: z.string().min(1) }).strict(), response: z.object({ removed: z.boolean() }) },
  'profiles.validate': {
    request: z.object({ profile: z.unknown(), datasetId: z.string().min(1).optional() }).strict(),
    response: z.object({ problems: z.array(z.string()) }),
  },
  'profiles.exportToml': { request: Empty, response: ExportSchema },
  'profiles.importToml': {
    request: z.object({ content: z.string(), source: z.string().default('profiles.toml') }).strict(),
    response: z.object({ imported: z.array(z.string()) }),
  },
} as const;

export type CallName = keyof typeof calls;
export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>;
/** A request after validation, with its defaults filled in (what the service's handlers get). */
export type CallParsed<N extends CallName> = z.infer<(typeof calls)[N]['request']>;
export type CallResponse<N extends CallName> = z.infer<(typeof calls)[N]['response']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Events pushed from the host to the renderer about long-running jobs. */
export type JobEvent =
  /** rowsRead: when the scan cannot tell its fraction (Postgres), the rows it has read so far. */
  | { jobId: string; type: 'progress'; fraction: number; stage: string; rowsRead?: number }
  /** The finished run travels with its event: no second call to fetch it. */
  | { jobId: string; type: 'done'; runId: string; run: Run }
  | { jobId: string; type: 'failed'; error: ErrorInfo }
  | { jobId: string; type: 'cancelled' }
  /** A piece of an answer being streamed, and the saved answer when it ends. */
  | { jobId: string; type: 'text'; text: string }
  | { jobId: string; type: 'answered'; runId: string; message: ChatMessage };

/** What the preload exposes as `window.factorlens` in the desktop app. */
export interface DesktopBridge {
  call<N extends CallName>(
    name: N,
    request: CallRequest<N>,
  ): Promise<{ ok: true; value: CallResponse<N> } | { ok: false; error: ErrorInfo }>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Table files the operating system asked the app to open ("Open with", a second launch). */
  onOpenPaths(listener: (paths: string[]) => void): () => void;
  /** Absolute path of a dropped/picked File (Electron only). */
  pathForFile(file: File): string;
  /** Native open dialog; returns chosen paths. */
  openFileDialog(): Promise<string[]>;
  /** Native open dialog for one file of the given kind (a certificate, a key); null when cancelled. */
  pickFile(title: string, extensions: string[]): Promise<string | null>;
  /** Native save dialog + atomic write; resolves to the written path or null when cancelled. */
  saveFile(suggestedName: string, content: string): Promise<string | null>;
}

export type MenuCommand = 'open-file' | 'toggle-theme' | 'export-md' | 'export-json' | 'export-html';
