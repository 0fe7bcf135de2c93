import { detectFrequency, periodCount, type Frequency } from '../../../src-shared/artifacts/frequency';
import { formatCount } from '../../../src-shared/format';
import type { AskedOrder } from './date-order';
import { readPrices, type TableInput } from './inputs';
import type { PriceColumnNames } from './price-columns';
import { isWeekend, logReturns, panelOf, type ReturnsPanel } from './returns';
import { returnsPanel, scanHistories } from './scan-returns';

/** How the factor commands read a price table. */
export interface PriceReading {
  columns: PriceColumnNames;
  dateOrder: AskedOrder;
  includeWeekends: boolean;
}

export interface PricePanel {
  panel: ReturnsPanel;
  /** How often the prices are sampled (their dates' median gap). */
  frequency: Frequency;
  /** What the reading left out or assumed, in words (weekend rows, the dates' day/month order). */
  warnings: string[];
}

const dayIso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/**
 * The returns of a price table, with its frequency. Weekend rows are dropped before returns
 * (the seed's rule, for daily prices) unless asked; weekly, monthly or quarterly prices keep
 * them, since a month that starts on a Saturday is a month like any other. Either way the run
 * says how many weekend rows there were and what happened to them.
 */
export async function readPricePanel(prices: TableInput, reading: PriceReading): Promise<PricePanel> {
  const scanned = typeof prices === 'string' ? await scanHistories(prices, reading.columns, reading.dateOrder) : null;
  if (scanned) {
    const days = new Set<number>();
    let weekendRows = 0;
    for (const h of scanned.histories)
      for (const day of h.days) {
        days.add(day);
        const weekday = (((day + 4) % 7) + 7) % 7;
        if (weekday === 0 || weekday === 6) weekendRows++;
      }
    const frequency = detectFrequency([...days].sort((a, b) => a - b).map(dayIso));
    const keepWeekends = reading.includeWeekends || frequency !== 'daily';
    const panel = returnsPanel(scanned.histories, keepWeekends);
    if (panel) return { panel, frequency, warnings: warningsOf(frequency, weekendRows, reading.includeWeekends, scanned.dateNote) };
  }
  const { rows, dateNote } = await readPrices(prices, reading.columns, reading.dateOrder);
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  const frequency = detectFrequency(dates);
  const weekend = new Set(dates.filter(isWeekend));
  const weekendRows = rows.reduce((n, r) => n + (weekend.has(r.date) ? 1 : 0), 0);
  const keepWeekends = reading.includeWeekends || frequency !== 'daily';
  return {
    panel: panelOf(logReturns(rows, keepWeekends)),
    frequency,
    warnings: warningsOf(frequency, weekendRows, reading.includeWeekends, dateNote),
  };
}

function warningsOf(frequency: Frequency, weekendRows: number, includeWeekends: boolean, dateNote: string | null): string[] {
  const out: string[] = [];
  if (dateNote) out.push(dateNote);
  if (weekendRows > 0 && !includeWeekends) {
    const rows = `${formatCount(weekendRows)} price ${weekendRows === 1 ? 'row' : 'rows'} dated Saturday or Sunday`;
    out.push(
      frequency === 'daily'
        ? `${rows} left out before returns (daily prices; include weekends to keep them)`
        : `${rows} kept: the prices are ${frequency}, and weekend rows are dropped only from daily prices`,
    );
  }
  return out;
}

/** Tickers whose returns cover fewer of the panel's dates than the rest, e.g. a listing that starts later. */
export function shortHistories(panel: ReturnsPanel, frequency: Frequency): string[] {
  const rows = panel.columns.map((col, j) => {
    let first = -1;
    let last = -1;
    let count = 0;
    for (let i = 0; i < col.length; i++) {
      if (Number.isNaN(col[i]!)) continue;
      count++;
      if (first < 0) first = i;
      last = i;
    }
    return { ticker: panel.tickers[j]!, count, first, last };
  });
  const all = panel.dates.length;
  const short = rows.filter((r) => r.count < all).sort((a, b) => a.count - b.count || (a.ticker < b.ticker ? -1 : 1));
  const lines = short
    .slice(0, 5)
    .map(
      (r) =>
        `${r.ticker} has returns for ${periodCount(r.count, frequency)} of ${formatCount(all)} (${panel.dates[r.first] ?? '-'} to ${panel.dates[r.last] ?? '-'})`,
    );
  if (short.length > 5) lines.push(`${formatCount(short.length - 5)} more tickers have gaps`);
  return lines;
}
