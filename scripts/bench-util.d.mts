/** Resident memory of a process and all its descendants (Linux /proc), in bytes. */
export function treeRss(rootPid: number): number;
export function prng(seed: number): () => number;
export interface Measured {
  seconds: number;
  peak: number;
  out: string;
}
export function measure(cmd: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<Measured>;
export function best(runs: number, cmd: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<Measured>;
export function median(values: number[]): number;
export interface Command {
  cmd: string;
  args: string[];
  options?: { cwd?: string; env?: NodeJS.ProcessEnv };
}
export function sideBySide(runs: number, a: Command, b: Command): Promise<{ a: Measured; b: Measured; ratio: number; ratios: number[] }>;
