import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../src-shared/analyze-options';
import { AppError, type ErrorInfo } from '../../src-shared/errors';
import { deriveWindows } from '../../src-shared/periods';
import { runAnalyze } from './analyze/run';
import { runDrivers, type DriversRequest } from './drivers/run';
import { runFit } from './factors/fit';
import { runInvestigate } from './investigate/run';

// The engine's errors name options in words and list the options they are about (keys of the
// run's options), so that each host can say where to change them: no CLI flags in the text.
const root = path.resolve(__dirname, '../..');
const small = path.join(root, 'tests/fixtures/small.csv');
const revenue = path.join(root, 'data/demo_revenue_residual.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-hints-'));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

async function failure(p: Promise<unknown>): Promise<ErrorInfo> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    const info = (err as AppError).toInfo();
    expect(`${info.message} ${info.hint ?? ''}`).not.toMatch(/--[a-z]/);
    return info;
  }
  throw new Error('expected a failure');
}

const analyze = (options: AnalyzeOptionsInput, file = small) =>
  runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
const march = deriveWindows('month', 'last', '2026-04-15');
const drivers = (r: Partial<DriversRequest>) =>
  runDrivers({
    input: revenue,
    inputNew: null,
    metric: 'revenue_usd',
    period: { dateColumn: 'date', windows: march },
    identity: null,
    method: 'lmdi',
    ...r,
  });

describe('analyze errors name the options they are about', () => {
  it('no group columns, metrics with records only, ranking and percentiles with records only', async () => {
    const numbers = write('numbers.csv', 'a,b\n1,2\n3,4\n');
    expect(await failure(analyze({}, numbers))).toMatchObject({
      code: 'NO_GROUP_COLUMNS',
      hint: 'Name the columns to group by: one or more of a, b.',
      options: ['groupBy'],
    });
    expect(await failure(analyze({ groupBy: ['team'], metrics: ['sales'], countOnly: true }))).toMatchObject({
      message: 'a records-only analysis takes no metrics',
      options: ['metrics', 'countOnly'],
    });
    expect(await failure(analyze({ groupBy: ['team'], countOnly: true, rankBy: 'sales' }))).toMatchObject({
      message: "a records-only analysis ranks by count only (asked to rank by 'sales')",
      options: ['rankBy', 'countOnly'],
    });
    expect(await failure(analyze({ groupBy: ['team'], countOnly: true, percentiles: [50] }))).toMatchObject({
      options: ['percentiles', 'countOnly'],
    });
    expect(await failure(analyze({ groupBy: ['team'], metrics: ['sales'], rankBy: 'profit' }))).toMatchObject({
      code: 'UNKNOWN_COLUMN',
      options: ['rankBy'],
    });
  });

  it('no metric columns: name them, or analyse records only when the table has no numbers', async () => {
    const words = write('words.csv', 'team,colour\nRed,blue\nBlue,red\n');
    expect(await failure(analyze({ groupBy: ['team'] }, words))).toMatchObject({
      code: 'NO_METRIC_COLUMNS',
      hint: 'Analyse records only, to rank segments by records alone.',
      options: ['countOnly'],
    });
    expect(await failure(analyze({ groupBy: ['team'], metrics: ['colour'] }, words))).toMatchObject({
      code: 'NON_NUMERIC_METRIC',
      options: ['metrics', 'countOnly'],
    });
    expect(await failure(analyze({ groupBy: ['team'], metrics: ['region'] }))).toMatchObject({
      code: 'NON_NUMERIC_METRIC',
      options: ['metrics'],
    });
  });

  it('a period window that ends before it starts', async () => {
    const period = {
      mode: 'explicit' as const,
      dateColumn: 'date',
      previous: { start: '2026-01-31', end: '2026-01-01' },
      current: { start: '2026-02-01', end: '2026-02-28' },
    };
    const dated = write('dated.csv', 'date,team,sales\n2026-02-01,Red,1\n');
    expect(await failure(analyze({ groupBy: ['team'], metrics: ['sales'], period }, dated))).toMatchObject({
      code: 'BAD_ARGUMENT',
      options: ['period'],
    });
  });
});

describe('drivers, investigate and factors errors name the options they are about', () => {
  it('drivers: no period, an identity for another metric, a malformed identity, empty windows', async () => {
    expect(await failure(drivers({ period: null }))).toMatchObject({
      message: 'the drivers analysis needs a date column (to compare two periods) or a second snapshot (to compare two files)',
      options: ['dateColumn', 'newDatasetId'],
    });
    expect(await failure(drivers({ identity: 'orders = traffic * conversion_rate' }))).toMatchObject({
      message: "the identity is for 'orders' but the metric is 'revenue_usd'",
      options: ['identity', 'metric'],
    });
    expect(await failure(drivers({ identity: 'revenue_usd orders' }))).toMatchObject({ code: 'BAD_ARGUMENT', options: ['identity'] });
    expect(await failure(drivers({ identity: 'revenue_usd = orders * nope' }))).toMatchObject({
      code: 'UNKNOWN_COLUMN',
      options: ['identity'],
    });
    expect(await failure(drivers({ period: { dateColumn: 'date', windows: deriveWindows('month', 'last', '2025-01-15') } }))).toMatchObject(
      {
        code: 'NO_DATA_ROWS',
        hint: 'Pick period windows that hold data (check the anchor date and the period), or two non-empty files.',
        options: ['windows'],
      },
    );
  });

  it('drivers: no identity fits; investigate: empty windows', async () => {
    const noise = write(
      'noise.csv',
      'date,a,b,c\n' +
        Array.from({ length: 40 }, (_, i) => `2026-0${1 + (i % 2)}-10,${(i * 7919) % 97},${(i * 104729) % 89},${(i * 1299709) % 83}`).join(
          '\n',
        ) +
        '\n',
    );
    const w = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    expect(await failure(drivers({ input: noise, metric: 'c', period: { dateColumn: 'date', windows: w } }))).toMatchObject({
      message: expect.stringMatching(/^no identity fits 'c'/),
      options: ['identity'],
    });
    const select = {
      preset: 'amount' as const,
      auto: 'deterministic' as const,
      dedup: false,
      topDrivers: 3,
      maxId: 3,
      maxCat: 2,
      maxNum: 2,
    };
    const investigate = {
      input: revenue,
      metric: 'revenue_usd',
      dateColumn: null,
      drivers: ['sum(orders)'],
      include: [],
      exclude: [],
      select,
      contributionView: 'both' as const,
    };
    expect(await failure(runInvestigate({ ...investigate, windows: deriveWindows('month', 'last', '2025-01-15') }))).toMatchObject({
      code: 'NO_DATA_ROWS',
      options: ['windows'],
    });
  });

  it('factors: too few common dates points at the missing-returns rule', async () => {
    const days = Array.from({ length: 30 }, (_, i) =>
      new Date(Date.UTC(2025, 0, 6 + i + 2 * Math.floor(i / 5))).toISOString().slice(0, 10),
    );
    const lines = days.flatMap((d, i) => [`${d},AAA,${100 + ((i * 37) % 11)}`, ...(i < 10 ? [`${d},BBB,${50 + ((i * 13) % 7)}`] : [])]);
    const prices = write('prices.csv', `date,ticker,close\n${lines.join('\n')}\n`);
    expect(
      await failure(runFit({ prices, k: 1, kAuto: false, portfolio: null, holdings: null, includeWeekends: false, missing: 'common' })),
    ).toMatchObject({ code: 'BAD_ARGUMENT', options: ['missing'] });
  });
});
