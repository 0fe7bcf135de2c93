import { z } from 'zod';
import { AnalyzeOptionsSchema, OUTPUT_FORMATS } from './analyze-options';
import type { AnalyzeArtifact } from './artifacts/analyze';

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
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const PreviewSchema = z.object({
  dataset: DatasetSchema,
  rows: z.array(z.array(z.string().nullable())),
});
export type Preview = z.infer<typeof PreviewSchema>;

export const RunSummarySchema = z.object({
  id: z.string(),
  kind: z.literal('analyze'),
  datasetId: z.string().nullable(),
  title: z.string(),
  createdAt: z.string(),
  records: z.number(),
  segments: z.number(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunSchema = RunSummarySchema.extend({
  options: AnalyzeOptionsSchema,
  artifact: z.custom<AnalyzeArtifact>((v) => typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'analyze'),
});
export type Run = z.infer<typeof RunSchema>;

export const WorkspaceSchema = z.object({
  name: z.string(),
  path: z.string(),
  datasets: z.array(DatasetSchema),
  runs: z.array(RunSummarySchema),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

export const EXPORT_FORMATS = ['md', 'json', 'html'] as const satisfies readonly (typeof OUTPUT_FORMATS)[number][];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportSchema = z.object({
  filename: z.string(),
  mime: z.string(),
  content: z.string(),
});
export type ExportedFile = z.infer<typeof ExportSchema>;

const Empty = z.object({}).strict();
const ById = z.object({ id: z.string().min(1) }).strict();

export const calls = {
  'workspace.get': { request: Empty, response: WorkspaceSchema },
  'datasets.addFile': { request: z.object({ path: z.string().min(1) }).strict(), response: DatasetSchema },
  'datasets.preview': { request: ById, response: PreviewSchema },
  'datasets.remove': { request: ById, response: z.object({ removed: z.boolean() }) },
  'analyze.start': {
    request: z.object({ datasetId: z.string().min(1), options: AnalyzeOptionsSchema }).strict(),
    response: z.object({ jobId: z.string() }),
  },
  'jobs.cancel': { request: z.object({ jobId: z.string().min(1) }).strict(), response: z.object({ cancelled: z.boolean() }) },
  'runs.get': { request: ById, response: RunSchema },
  'runs.remove': { request: ById, response: z.object({ removed: z.boolean() }) },
  'runs.export': {
    request: z.object({ id: z.string().min(1), format: z.enum(EXPORT_FORMATS) }).strict(),
    response: ExportSchema,
  },
} as const;

export type CallName = keyof typeof calls;
export type CallRequest<N extends CallName> = z.input<(typeof calls)[N]['request']>;
export type CallResponse<N extends CallName> = z.infer<(typeof calls)[N]['response']>;

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}

/** Events pushed from the host to the renderer about long-running jobs. */
export type JobEvent =
  | { jobId: string; type: 'progress'; fraction: number; stage: string }
  | { jobId: string; type: 'done'; runId: string }
  | { jobId: string; type: 'failed'; error: { code: string; message: string; hint?: string } }
  | { jobId: string; type: 'cancelled' };

/** What the preload exposes as `window.factorlens` in the desktop app. */
export interface DesktopBridge {
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<{ ok: true; value: CallResponse<N> } | { ok: false; error: { code: string; message: string; hint?: string } }>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Absolute path of a dropped/picked File (Electron only). */
  pathForFile(file: File): string;
  /** Native open dialog; returns chosen paths. */
  openFileDialog(): Promise<string[]>;
  /** Native save dialog + atomic write; resolves to the written path or null when cancelled. */
  saveFile(suggestedName: string, content: string): Promise<string | null>;
}

export type MenuCommand = 'open-file' | 'toggle-theme' | 'export-md' | 'export-json' | 'export-html';
