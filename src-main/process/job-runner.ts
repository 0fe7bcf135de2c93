import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { AppError, fromErrorInfo } from '../../src-shared/errors';
import type { EngineJob, EngineResults } from '../engine/jobs';
import type { EngineLauncher, EngineProcess } from './engine-process';
import { artifactMismatch, firstIssue, FromEngineSchema, unreadableMessage } from './engine-messages';

export interface JobHandle<T> {
  id: string;
  result: Promise<T>;
}

export interface EnginePoolOptions {
  /** Engines that may run at once (default: one per core, at most 4). */
  size?: number;
  /** Keep one engine started and idle, ready for the next job (the desktop app and the web host). */
  warm?: boolean;
  /** An idle engine beyond the warm one ends after this long (default 60 s). */
  idleMs?: number;
  /** An engine is replaced after this many jobs (default 200)… */
  maxJobsPerEngine?: number;
  /** …or when its resident memory after a job exceeds this (default 1.5 GB). */
  maxRssBytes?: number;
}

type Progress = (fraction: number, stage: string, rowsRead?: number) => void;

interface Pending {
  id: string;
  job: EngineJob;
  onProgress: Progress;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  /** The queue position last reported, so that a position is reported once. */
  shownAhead: number;
}

interface Engine {
  proc: EngineProcess;
  job: Pending | null;
  jobsRun: number;
  idleTimer: NodeJS.Timeout | null;
  /** Left the pool (retired, cancelled or exited): it takes no more jobs. */
  gone: boolean;
}

/** The size that fits this machine: one engine per core (each scan is itself multi-threaded), at most 4. */
export const defaultPoolSize = (): number => Math.max(1, Math.min(4, os.availableParallelism()));

const cancelled = () => new AppError('CANCELLED', 'the run was cancelled', 'Run it again when you are ready.');

/** What an engine's end means, in words (a signal or an exit code alone says little). */
export function engineCrash(code: number | null, signal?: string | null): AppError {
  const how =
    signal === 'SIGKILL'
      ? 'it was killed (SIGKILL), most often because the machine ran out of memory'
      : signal
        ? `it was ended by the signal ${signal}`
        : code === null
          ? 'it was ended from outside'
          : code === 134
            ? 'it aborted (exit code 134)'
            : `it exited with code ${code}`;
  return new AppError(
    'ENGINE_CRASHED',
    `the analysis engine stopped before the run finished: ${how}`,
    'Run it again; if it keeps happening, the input may be too large for this machine (try a filter or fewer columns).',
  );
}

/**
 * Runs engine jobs on a bounded pool of warm engine processes. A job waits in a queue (and is
 * told its place) until an engine is free; an engine runs one job at a time and stays loaded for
 * the next. Cancelling a queued job removes it; cancelling a running one ends only its engine,
 * and a fresh engine takes its place. An engine that crashes fails its own job only. Engines are
 * replaced after many jobs or when they grow large, and idle ones beyond the warm one end.
 */
export class JobRunner {
  private readonly engines: Engine[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<string, Engine>();
  private readonly size: number;
  private readonly options: Required<Omit<EnginePoolOptions, 'size'>>;
  private closed = false;
  /** A warm engine ended before its first job: no more are started until a job asks for one. */
  private warmFailed = false;

  constructor(
    private readonly launch: EngineLauncher,
    options: EnginePoolOptions = {},
  ) {
    this.size = Math.max(1, options.size ?? defaultPoolSize());
    this.options = { warm: false, idleMs: 60_000, maxJobsPerEngine: 200, maxRssBytes: 1.5 * 1024 ** 3, ...options };
    if (this.options.warm) this.keepWarm();
  }

  start<J extends EngineJob>(job: J, onProgress: Progress = () => {}): JobHandle<EngineResults[J['kind']]> {
    const id = randomUUID();
    const result = new Promise<EngineResults[J['kind']]>((resolve, reject) => {
      this.queue.push({ id, job, onProgress, resolve: resolve as (v: unknown) => void, reject, shownAhead: -1 });
    });
    if (this.closed) this.cancel(id);
    else this.dispatch();
    return { id, result };
  }

  /** Cancels a queued or running job; false when it is not (or no longer) known. */
  cancel(id: string): boolean {
    const at = this.queue.findIndex((p) => p.id === id);
    if (at >= 0) {
      const [pending] = this.queue.splice(at, 1);
      pending!.reject(cancelled());
      this.reportPositions();
      return true;
    }
    const engine = this.running.get(id);
    if (!engine?.job) return false;
    const pending = engine.job;
    this.retire(engine);
    pending.reject(cancelled());
    this.dispatch();
    return true;
  }

  cancelAll(): void {
    for (const p of [...this.queue]) this.cancel(p.id);
    for (const id of [...this.running.keys()]) this.cancel(id);
  }

  /** Cancels everything and ends every engine (the host is closing). */
  close(): void {
    this.closed = true;
    this.cancelAll();
    for (const e of [...this.engines]) this.retire(e);
  }

  /** Engines started, busy, and jobs waiting: for tests and the bench. */
  stats(): { engines: number; busy: number; queued: number } {
    return { engines: this.engines.length, busy: this.running.size, queued: this.queue.length };
  }

  private dispatch(): void {
    if (this.queue.length > 0) this.warmFailed = false;
    while (this.queue.length > 0) {
      const engine = this.engines.find((e) => e.job === null) ?? (this.engines.length < this.size ? this.spawn() : null);
      if (!engine) break;
      const pending = this.queue.shift()!;
      if (engine.idleTimer) clearTimeout(engine.idleTimer);
      engine.idleTimer = null;
      engine.job = pending;
      this.running.set(pending.id, engine);
      engine.proc.send({ type: 'run', job: pending.job });
    }
    this.reportPositions();
    if (this.options.warm && !this.closed) this.keepWarm();
  }

  /** Tells each waiting job how many are ahead of it (later, never inside start()). */
  private reportPositions(): void {
    this.queue.forEach((p, i) => {
      const ahead = i + this.running.size;
      if (p.shownAhead === ahead) return;
      p.shownAhead = ahead;
      queueMicrotask(() => p.onProgress(0, `Waiting for an engine: ${ahead} ${ahead === 1 ? 'run' : 'runs'} ahead`));
    });
  }

  private keepWarm(): void {
    if (!this.warmFailed && this.engines.length < this.size && !this.engines.some((e) => e.job === null)) this.spawn();
  }

  private spawn(): Engine {
    const engine: Engine = { proc: this.launch(), job: null, jobsRun: 0, idleTimer: null, gone: false };
    this.engines.push(engine);
    engine.proc.onMessage((raw) => {
      const pending = engine.job;
      if (!pending || engine.gone) return;
      const parsed = FromEngineSchema.safeParse(raw);
      const problem = parsed.success ? artifactMismatch(parsed.data, pending.job) : firstIssue(parsed.error);
      if (!parsed.success || problem) {
        // An engine that says something unreadable is in no state to run the next job either.
        this.retire(engine);
        pending.reject(unreadableMessage('the engine', problem ?? 'it does not fit'));
        this.dispatch();
        return;
      }
      const m = parsed.data;
      if (m.type === 'progress') {
        pending.onProgress(m.fraction, m.stage, m.rowsRead);
        return;
      }
      if (m.type !== 'done' && m.type !== 'failed') return;
      engine.job = null;
      engine.jobsRun += 1;
      this.running.delete(pending.id);
      const spent = engine.jobsRun >= this.options.maxJobsPerEngine || (m.rss ?? 0) > this.options.maxRssBytes;
      if (spent) this.retire(engine);
      else this.idle(engine);
      if (m.type === 'done') pending.resolve(m.artifact);
      else pending.reject(fromErrorInfo(m.error));
      this.dispatch();
    });
    engine.proc.onExit((code, signal) => {
      const pending = engine.job;
      const ours = engine.gone;
      this.drop(engine);
      if (!pending && !ours && engine.jobsRun === 0) this.warmFailed = true;
      if (pending) {
        this.running.delete(pending.id);
        pending.reject(engineCrash(code, signal));
      }
      if (!this.closed) this.dispatch();
    });
    return engine;
  }

  /** An idle engine beyond the first ends after a while; the first stays for the next job. */
  private idle(engine: Engine): void {
    if (engine.idleTimer) clearTimeout(engine.idleTimer);
    engine.idleTimer = setTimeout(() => {
      const others = this.engines.filter((e) => e !== engine && !e.gone);
      if (engine.job === null && (others.length > 0 || !this.options.warm)) this.retire(engine);
    }, this.options.idleMs);
    engine.idleTimer.unref();
  }

  /** Takes an engine out of the pool and ends its process (its job, if any, is settled by the caller). */
  private retire(engine: Engine): void {
    const pending = engine.job;
    if (pending) this.running.delete(pending.id);
    engine.job = null;
    this.drop(engine);
    engine.proc.kill();
  }

  private drop(engine: Engine): void {
    engine.gone = true;
    if (engine.idleTimer) clearTimeout(engine.idleTimer);
    engine.idleTimer = null;
    const at = this.engines.indexOf(engine);
    if (at >= 0) this.engines.splice(at, 1);
  }
}
