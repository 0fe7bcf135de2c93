/**
 * The CLI's progress as one line of a terminal: a bar and the percent when the percent is known
 * ("[######..........]  42% Scanning rows · about 12 s left"), the rows read otherwise
 * ("Scanning rows · 1,234,567 rows read · 250,000 rows/s"), cut to the terminal's width so the
 * line never wraps (a wrapped line could not be rewritten in place).
 */
export function progressLine(stage: string, percent: number | null, detail: string, columns = 80): string {
  const words = detail ? `${stage} · ${detail}` : stage;
  let line = words;
  if (percent !== null) {
    const width = 20;
    const filled = Math.round((Math.max(0, Math.min(100, percent)) / 100) * width);
    line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${words}`;
  }
  const room = Math.max(10, columns - 1);
  return line.length > room ? `${line.slice(0, room - 1)}…` : line;
}
