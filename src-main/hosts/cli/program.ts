/**
 * The `factorlens` commands: the headless workbench. Same commands and flags as the FactorLens
 * CLI; every command runs the same services as the desktop app.
 */
import type { ChildProcess } from 'node:child_process';
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { toErrorInfo } from '../../../src-shared/errors';
import { engineEntryBeside, nodeEngineLauncher } from '../../process/engine-process';
import { JobRunner } from '../../process/job-runner';
import { packageRootFrom } from '../../services/paths';
import { analyzeCommand, validateCommand } from './analyze-command';
import { serveCommand } from './serve-command';
import { suggestCommand } from './suggest-command';
import { compareCommand } from './compare-command';
import { driversCommand } from './drivers-command';
import { investigateCommand } from './investigate-command';
import { factorsCommand, reportCommand } from './factors-command';
import { explainAnalyzeCommand, explainCommand } from './explain-command';

export async function runCli(entryUrl: string, takePrestartedEngine: () => ChildProcess | null): Promise<void> {
const root = packageRootFrom(entryUrl);
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

let runner: JobRunner | null = null;
// One job per command: one engine (the one prewarm.ts started while this module loaded).
const getRunner = () => (runner ??= new JobRunner(nodeEngineLauncher(engineEntryBeside(entryUrl), takePrestartedEngine), { size: 1 }));
const closeRunner = () => runner?.close();

const program = new Command('factorlens')
  .description('FactorLens Workbench: explain why a business metric changed')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();
program.addCommand(analyzeCommand(getRunner));
program.addCommand(validateCommand());
program.addCommand(suggestCommand(getRunner));
program.addCommand(compareCommand());
program.addCommand(driversCommand(getRunner));
program.addCommand(investigateCommand(getRunner));
program.addCommand(factorsCommand(getRunner));
program.addCommand(reportCommand());
program.addCommand(explainCommand(entryUrl));
program.addCommand(explainAnalyzeCommand(entryUrl));
program.addCommand(serveCommand(root, entryUrl));
const overrideExit = (cmd: Command): void => {
  cmd.exitOverride();
  cmd.commands.forEach(overrideExit);
};
program.commands.forEach(overrideExit);

// Ctrl-C, a terminal closing or a kill end the engine with the command: ending it cancels a
// statement running on a Postgres server. (A SIGKILL of this process cannot be caught: the engine
// notices its parent is gone and ends itself the same way.)
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => {
    closeRunner();
    if (signal === 'SIGINT') process.stderr.write('\nCancelled.\n');
    process.exit(code);
  });
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else {
    const info = toErrorInfo(err);
    process.stderr.write(`Error [${info.code}]: ${info.message}\n${info.hint ? `Hint: ${info.hint}\n` : ''}`);
    process.exitCode = info.code === 'BAD_ARGUMENT' ? 2 : 1;
  }
} finally {
  // The command is over: its engine ends too (a warm engine would keep this process alive).
  closeRunner();
}
}
