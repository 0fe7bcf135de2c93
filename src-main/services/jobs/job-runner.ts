import { randomUUID } from 'node:crypto';
import { AppError, fromErrorInfo } from '../../../src-shared/errors';
import type { EngineJob, EngineResults } from '../../engine/jobs';
import type { EngineLauncher, EngineProcess } from './engine-process';

export interface JobHandle<T> {
  id: string;
  result: Promise<T>;
}

/**
 * Runs engine jobs, each in its own engine process: progress comes back as messages, and
 * cancelling ends the process. A crash of the engine fails that job only.
 */
export class JobRunner {
  private readonly running = new Map<string, { proc: EngineProcess; cancel: () => void }>();

  constructor(private readonly launch: EngineLauncher) {}

  start<J extends EngineJob>(job: J, onProgress: (fraction: number, stage: string) => void = () => {}): JobHandle<EngineResults[J['kind']]> {
    const id = randomUUID();
    const proc = this.launch();
    const result = new Promise<EngineResults[J['kind']]>((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running.delete(id);
        proc.kill();
        fn();
      };
      this.running.set(id, {
        proc,
        cancel: () => settle(() => reject(new AppError('CANCELLED', 'the run was cancelled', 'Run it again when you are ready.'))),
      });
      proc.onMessage((m) => {
        if (m.type === 'progress') onProgress(m.fraction, m.stage);
        else if (m.type === 'done') settle(() => resolve(m.artifact as EngineResults[J['kind']]));
        else if (m.type === 'failed') settle(() => reject(fromErrorInfo(m.error)));
      });
      proc.onExit((code) =>
        settle(() => reject(new AppError('ENGINE_CRASHED', `the analysis engine stopped unexpectedly (exit code ${code})`, 'Try again; if it keeps happening, the input may be too large for this machine.'))),
      );
    });
    proc.send({ type: 'run', job });
    return { id, result };
  }

  cancel(id: string): boolean {
    const job = this.running.get(id);
    if (!job) return false;
    job.cancel();
    return true;
  }

  cancelAll(): void {
    for (const id of [...this.running.keys()]) this.cancel(id);
  }
}
