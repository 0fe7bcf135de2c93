import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { factorKeys, FACTORS_SCHEMA, REGRESSION_SCHEMA, type FactorsArtifact, type RegressionArtifact } from '../../src-shared/artifacts/factors';
import { AppError } from '../../src-shared/errors';
import { csvText, fixed } from './csv-cell';
import { factorsJson } from './factors-json';

/**
 * The artifact folders of `factors fit` and `factors regress`: the seed's file names and CSV
 * columns (with our columns appended), written from the artifact and read back by `report`.
 */
const f8 = (v: number) => fixed(v, 8);
const f10 = (v: number) => fixed(v, 10);

export function attributionCsv(a: FactorsArtifact): string {
  const keys = factorKeys(a.model.k);
  return csvText(
    ['date', ...keys.map((n) => `${n}_contrib`), 'total_factor_contrib', 'portfolio_return', 'residual'],
    a.attribution.map((d) => [d.date, ...d.contributions.map(f8), f8(d.total_factor), f8(d.portfolio_return), f8(d.residual)]),
  );
}

export function residualsCsv(a: RegressionArtifact): string {
  return csvText(['date', 'portfolio_return', 'fitted_return', 'residual'], a.residuals.map((x) => [x.date, f10(x.portfolio_return), f10(x.fitted_return), f10(x.residual)]));
}

/** The files of a fit's folder; factors.json comes in pieces (see factorsJson), the CSVs as text. */
export function factorsFolderFiles(a: FactorsArtifact, dir: string): { path: string; content: string | Iterable<string> }[] {
  const keys = factorKeys(a.model.k);
  return [
    { path: path.join(dir, 'factors.json'), content: factorsJson(a) },
    { path: path.join(dir, 'exposures.csv'), content: csvText(['ticker', ...keys], a.model.tickers.map((t, i) => [t, ...a.model.loadings[i]!.map(f8)])) },
    { path: path.join(dir, 'attribution.csv'), content: attributionCsv(a) },
    { path: path.join(dir, 'outliers.csv'), content: csvText(['date', 'residual', 'abs_residual'], a.top_outliers.map((o) => [o.date, f8(o.residual), f8(o.abs_residual)])) },
    { path: path.join(dir, 'risk.csv'), content: csvText(['factor', 'label', 'share_of_variance'], [...keys.map((n, i) => [n, a.factor_labels[i] ?? n, f8(a.risk.factor_share[i]!)]), ['specific', 'specific (residual) risk', f8(a.risk.specific_share)]]) },
  ];
}

export function regressionFolderFiles(a: RegressionArtifact, dir: string): { path: string; content: string }[] {
  const { residuals: _residuals, ...summary } = a;
  return [
    { path: path.join(dir, 'regression.json'), content: `${JSON.stringify(summary, null, 2)}\n` },
    { path: path.join(dir, 'regression_residuals.csv'), content: residualsCsv(a) },
  ];
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, 'Check that --artifacts is the --out folder of factors fit or factors regress and that you may read it.');
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new AppError('NOT_A_TABLE', `${file} is not valid JSON: ${(err as Error).message}`, 'Run the factor command again to rewrite the folder.');
  }
}

/** Reads a `factors fit` or `factors regress` folder back into its artifact. */
export async function readFactorFolder(dir: string): Promise<FactorsArtifact | RegressionArtifact> {
  const fit = await readJson(path.join(dir, 'factors.json'));
  if (fit) {
    if (fit.schema !== FACTORS_SCHEMA) throw new AppError('BAD_ARGUMENT', `${path.join(dir, 'factors.json')} was not written by this version (schema ${String(fit.schema ?? 'none')}, expected ${FACTORS_SCHEMA})`, 'Run `factorlens factors fit` again to write the folder, then report on it.');
    return fit as unknown as FactorsArtifact;
  }
  const reg = await readJson(path.join(dir, 'regression.json'));
  if (reg) {
    if (reg.schema !== REGRESSION_SCHEMA) throw new AppError('BAD_ARGUMENT', `${path.join(dir, 'regression.json')} was not written by this version (schema ${String(reg.schema ?? 'none')}, expected ${REGRESSION_SCHEMA})`, 'Run `factorlens factors regress` again, then report on it.');
    const file = path.join(dir, 'regression_residuals.csv');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new AppError('FILE_NOT_FOUND', `${file} is missing; the report needs the residuals`, 'Run `factorlens factors regress` again to rewrite the folder.');
    }
    const rows = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    const residuals = rows.map((r) => ({ date: r.date!, portfolio_return: Number(r.portfolio_return), fitted_return: Number(r.fitted_return), residual: Number(r.residual) }));
    return { ...(reg as unknown as RegressionArtifact), residuals };
  }
  throw new AppError('FILE_NOT_FOUND', `${dir} holds neither factors.json nor regression.json`, 'Point --artifacts at the --out folder of `factors fit` or `factors regress`.');
}
