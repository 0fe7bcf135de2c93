import { RunProgress } from '../../../src-shared/time-left';

/** What a tool call reports as it goes: MCP's progress notification parameters, without the token. */
export interface ProgressNote {
  progress: number;
  total?: number;
  message: string;
}

/**
 * Turns a run's progress reports into MCP progress notifications. MCP asks that `progress` only
 * grow. A report of the share done (a file scan) is sent as percent of 100; a report of rows read
 * (a Postgres query streaming back, whose size the server does not say) as the count, with no
 * total. Once rows are counted, later percents would go backwards and are not sent; neither is
 * any report that would not move the value forward. The message says the stage and the time
 * left or the rows read, as the CLI's progress line does.
 */
export function progressNotes(send: (note: ProgressNote) => void, now: () => number = Date.now) {
  const measured = new RunProgress();
  let last = -Infinity;
  return (fraction: number, stage: string, rowsRead?: number): void => {
    const { percent, detail } = measured.report(now(), fraction, rowsRead);
    const message = detail ? `${stage} · ${detail}` : stage;
    let note: ProgressNote | null = null;
    if (rowsRead !== undefined) note = { progress: rowsRead, message };
    else if (percent !== null && fraction >= 0) note = { progress: percent, total: 100, message };
    if (note === null || note.progress <= last) return;
    last = note.progress;
    send(note);
  };
}
