import { RunProgress } from '../../../src-shared/time-left';
import { progressLine } from './progress-line';

/**
 * A one-line progress report on stderr, rewritten in place (\r) and cleared at the end: only when
 * stderr is a terminal, so that logs, CI and pipelines get nothing. stdout is never touched.
 */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now) {
  const active = stream.isTTY === true;
  const measured = new RunProgress();
  let shown = '';
  return {
    update: (fraction: number, stage: string, rowsRead?: number) => {
      if (!active) return;
      const { percent, detail } = measured.report(now(), fraction, rowsRead);
      const line = progressLine(stage, percent, detail, stream.columns || 80);
      if (line === shown) return;
      stream.write(`\r\x1b[2K${line}`);
      shown = line;
    },
    done: () => {
      if (active && shown) stream.write('\r\x1b[2K');
      shown = '';
    },
  };
}
