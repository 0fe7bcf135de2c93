import { Command, Option } from 'commander';
import { statSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { defaultDataDir, defaultWorkspaceFile } from '../../services/paths';
import { portNumber, wholeNumber } from './args';

interface ServeFlags {
  port?: string;
  workspace?: string;
  demoData: string;
  demoProfiles: string;
  allowDir: string[];
  maxUploadMb?: string;
}

/** The folders of `--allow-dir`, each an existing folder (absolute). */
function allowedFolders(dirs: string[]): string[] {
  return dirs.map((dir) => {
    const absolute = path.resolve(dir);
    let isFolder = false;
    try {
      isFolder = statSync(absolute).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder)
      throw new AppError(
        'BAD_ARGUMENT',
        `--allow-dir ${dir}: no such folder`,
        'Give --allow-dir an existing folder whose files the web app may open (repeat the flag for more folders).',
      );
    return absolute;
  });
}

export function serveCommand(packageRoot: string, engineEntryUrl: string): Command {
  return (
    new Command('serve')
      .description('Serve the workbench as a web app on 127.0.0.1 (prints a URL with an access token)')
      .option('--port <port>', 'port to listen on (default: a free port)')
      .option('--workspace <file>', 'workspace file to open (default: the user’s workspace file, the one the desktop app opens)')
      // The default is a path of this machine: the help names it instead of printing it.
      .addOption(
        new Option('--demo-data <dir>', 'folder whose CSVs seed a new workspace').default(
          path.join(packageRoot, 'data'),
          'the demo data installed with FactorLens',
        ),
      )
      .addOption(
        new Option('--demo-profiles <dir>', 'folder whose profiles (*.toml but *.example.toml) seed a new workspace').default(
          path.join(packageRoot, 'profiles'),
          'the example profiles installed with FactorLens',
        ),
      )
      .addOption(
        new Option(
          '--allow-dir <dir>',
          'a folder whose files API calls may name, besides the workspace’s folder and its uploads (repeatable)',
        )
          .argParser((dir: string, dirs: string[]) => [...dirs, dir])
          .default([], 'none'),
      )
      .option('--max-upload-mb <n>', 'the largest file the web app may upload, in MB (default: 512)')
      .addHelpText(
        'after',
        `
Examples:
  factorlens serve
  factorlens serve --port 8080 --workspace analysis/team.flworkspace --allow-dir data`,
      )
      .action(async (flags: ServeFlags) => {
        const port =
          flags.port === undefined
            ? undefined
            : portNumber(flags.port, 'Give a port such as --port 8080, or leave --port out to get a free one.');
        const limitFilesTo = allowedFolders(flags.allowDir);
        // Loaded here, not at start-up, so `factorlens analyze` does not pay for the web host.
        const [{ openWorkbench }, { startWebHost, DEFAULT_MAX_UPLOAD_MB }] = await Promise.all([
          import('../open-workbench'),
          import('../web/server'),
        ]);
        const maxUploadMb = flags.maxUploadMb === undefined ? DEFAULT_MAX_UPLOAD_MB : wholeNumber('--max-upload-mb', flags.maxUploadMb, 1);
        const workspace = flags.workspace ? path.resolve(flags.workspace) : defaultWorkspaceFile();
        const dataDir = flags.workspace ? path.dirname(workspace) : defaultDataDir();
        let host;
        try {
          // The workspace is opened (or made) only once the port is bound: a busy port leaves nothing behind.
          host = await startWebHost({
            workbench: () =>
              openWorkbench({
                workspaceFile: workspace,
                dataDir,
                demoDataDir: flags.demoData,
                demoProfilesDir: flags.demoProfiles,
                engineEntryUrl,
                limitFilesTo,
              }),
            rendererDir: path.join(packageRoot, 'out', 'renderer'),
            port,
            maxUploadBytes: maxUploadMb * 2 ** 20,
          });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE')
            throw new AppError('BAD_ARGUMENT', `port ${port} is already in use`, 'Pick another --port, or leave it out to get a free one.');
          if (code === 'EACCES')
            throw new AppError(
              'BAD_ARGUMENT',
              `port ${port} may not be used by this user`,
              'Pick a port above 1023, or leave --port out to get a free one.',
            );
          throw err;
        }
        const workbench = host.workbench;
        const readable = [path.dirname(workspace), path.join(dataDir, 'uploads'), ...limitFilesTo].join(', ');
        process.stdout.write(
          `FactorLens Workbench is serving workspace ${workspace}\nFiles may be added by path from: ${readable} (more with --allow-dir)\nOpen: ${host.url}\nPress Ctrl+C to stop.\n`,
        );
        const stop = () => {
          void host.close().then(() => {
            workbench.shutdown();
            process.exit(0);
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      })
  );
}
