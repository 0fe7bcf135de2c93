import path from 'node:path';
import type { OutputFormat } from '../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import type { RenderFormat } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { analyzeHtml } from './render-html';
import { analyzeMarkdown } from './render-markdown';
import { writeFilesAtomically } from './write-files';

export { writeFilesAtomically } from './write-files';

export interface OutputPaths {
  md?: string;
  json?: string;
  html?: string;
}

/** artifacts/analyze_<stem> (no second "analyze_" when the stem already has it). */
export function defaultAnalyzeBase(stem: string): string {
  const name = stem.toLowerCase().startsWith('analyze_') ? stem : `analyze_${stem}`;
  return path.join('artifacts', name);
}

function withExt(file: string, ext: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}${ext}`);
}

/**
 * Where each rendering goes. `both` always yields two different files: with --out x.json the
 * JSON goes to x.json and the Markdown to x.md (the seed overwrote one with the other).
 */
export function analyzeOutputPaths(stem: string, format: OutputFormat, out?: string): OutputPaths {
  return outputPaths(defaultAnalyzeBase(stem), format, out);
}

/** The same rules for any command: `base` is the default path without extension. */
export function outputPaths(base: string, format: OutputFormat, out?: string): OutputPaths {
  switch (format) {
    case 'md':
      return { md: out ?? `${base}.md` };
    case 'json':
      return { json: out ?? `${base}.json` };
    case 'html':
      return { html: out ?? `${base}.html` };
    case 'both': {
      if (!out) return { md: `${base}.md`, json: `${base}.json` };
      if (path.extname(out).toLowerCase() === '.json') return { md: withExt(out, '.md'), json: out };
      return { md: out, json: withExt(out, '.json') };
    }
  }
}

export function renderAnalyze(artifact: AnalyzeArtifact, format: RenderFormat): string {
  switch (format) {
    case 'md':
      return analyzeMarkdown(artifact);
    case 'html':
      return analyzeHtml(artifact);
    case 'json':
      return `${JSON.stringify(artifact, null, 2)}\n`;
  }
}

export const MIME: Record<RenderFormat | 'csv', string> = { md: 'text/markdown', json: 'application/json', html: 'text/html', csv: 'text/csv' };


export async function writeAnalyzeOutputs(artifact: AnalyzeArtifact, paths: OutputPaths): Promise<string[]> {
  return writeRenderings(paths, (format) => renderAnalyze(artifact, format));
}

/** Renders each requested format and writes them all-or-nothing; returns the paths written. */
export async function writeRenderings(paths: OutputPaths, render: (format: RenderFormat) => string, extra: { path: string; content: string }[] = []): Promise<string[]> {
  const files: { path: string; content: string }[] = [];
  for (const format of ['md', 'json', 'html'] as const) {
    const target = paths[format];
    if (target) files.push({ path: target, content: render(format) });
  }
  files.push(...extra);
  const targets = files.map((f) => path.resolve(f.path));
  const clash = targets.find((t, i) => targets.indexOf(t) !== i);
  if (clash) throw new AppError('BAD_ARGUMENT', `two outputs would be written to the same file ${clash}`, 'Give them different paths (--out and --out-profile).');
  await writeFilesAtomically(files);
  return files.map((f) => f.path);
}
