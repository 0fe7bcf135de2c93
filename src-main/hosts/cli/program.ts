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
import { validateCommand } from './analyze-command';
import { serveCommand } from './serve-command';
import { mcpCommand } from './mcp-command';
import { suggestCommand } from './suggest-command';
import { compareCommand } from './compare-command';
import { analyze, drivers, investigate, segments } from '../../analyses';
import { analysisCommand } from './analysis-command';
import { investigationCommand } from './investigation-command';
import { factorsCommand, reportCommand } from './factors-command';
import { explainAnalyzeCommand, explainCommand } from './explain-command';
import { commandOf, errorText, exitStatus } from './error-output';
import { helpFormat } from './help-format';
import { usageError } from './usage-error';

export async function runCli(entryUrl: string, takePrestartedEngine: () => ChildProcess | null): Promise<void> {
  const root = packageRootFrom(entryUrl);
  const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

  let runner: JobRunner | null = null;
  // One job per command: one engine (the one prewarm.ts started while this module loaded).
  const getRunner = () => (runner ??= new JobRunner(nodeEngineLauncher(engineEntryBeside(entryUrl), takePrestartedEngine), { size: 1 }));
  const closeRunner = () => runner?.close();

  const program = buildProgram(version, root, entryUrl, getRunner);

  // Ctrl-C, a terminal closing or a kill end the engine with the command: ending it cancels a
  // statement running on a Postgres server. (A SIGKILL of this process cannot be caught: the engine
  // notices its parent is gone and ends itself the same way.)
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.once(signal, () => {
      closeRunner();
      if (signal === 'SIGINT') process.stderr.write('\nCancelled.\n');
      process.exit(code);
    });
  }
  // The reader of the output went away (`factorlens analyze --help | head -3`): end quietly, with the
  // status a shell gives a command ended by SIGPIPE, not with a stack trace of the failed write.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closeRunner();
      process.exit(141);
    });
  }

  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version.
      process.exitCode = err.exitCode;
    } else {
      const info = toErrorInfo(err);
      process.stderr.write(errorText(info, commandOf(program, process.argv.slice(2))));
      process.exitCode = exitStatus(info);
    }
  } finally {
    // The command is over: its engine ends too (a warm engine would keep this process alive).
    closeRunner();
  }
}

/** Every command of `factorlens`, with the CLI's conventions applied; `getRunner` is called only when a command runs. */
export function buildProgram(version: string, root: string, entryUrl: string, getRunner: () => JobRunner): Command {
  const program = new Command('factorlens').description('FactorLens Workbench: explain why a business metric changed').version(version);
  program.addCommand(analysisCommand(analyze, getRunner));
  program.addCommand(validateCommand());
  program.addCommand(suggestCommand(getRunner));
  program.addCommand(compareCommand());
  program.addCommand(analysisCommand(drivers, getRunner));
  program.addCommand(analysisCommand(investigate, getRunner));
  program.addCommand(analysisCommand(segments, getRunner));
  program.addCommand(investigationCommand(getRunner));
  program.addCommand(factorsCommand(getRunner));
  program.addCommand(reportCommand());
  program.addCommand(explainCommand(entryUrl));
  program.addCommand(explainAnalyzeCommand(entryUrl));
  program.addCommand(serveCommand(root, entryUrl));
  program.addCommand(mcpCommand(version, entryUrl));
  // The conventions of every command, however it was built: parser errors become typed errors
  // (printed below like any other, exit 2), and the help lists inputs first and marks required flags.
  const applyConventions = (cmd: Command): void => {
    cmd
      .exitOverride((err) => {
        throw usageError(cmd, err) ?? err;
      })
      .configureOutput({ outputError: () => {} })
      .configureHelp(helpFormat);
    cmd.commands.forEach(applyConventions);
  };
  applyConventions(program);
  return program;
}
