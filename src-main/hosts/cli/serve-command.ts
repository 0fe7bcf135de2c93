import { Command } from 'commander';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { defaultDataDir, defaultWorkspaceFile } from '../../services/paths';

interface ServeFlags {
  port?: string;
  workspace?: string;
  demoData: string;
}

export function serveCommand(packageRoot: string, engineEntryUrl: string): Command {
  return new Command('serve')
    .description('Serve the workbench as a web app on 127.0.0.1 (prints a URL with an access token)')
    .option('--port <port>', 'port to listen on (default: a free port)')
    .option('--workspace <file>', 'workspace file to open (default: the desktop app’s default workspace)')
    .option('--demo-data <dir>', 'folder whose CSVs seed a new workspace', path.join(packageRoot, 'data'))
    .action(async (flags: ServeFlags) => {
      let port: number | undefined;
      if (flags.port !== undefined) {
        port = Number(flags.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('BAD_ARGUMENT', `--port must be a number from 0 to 65535 (got '${flags.port}')`);
      }
      // Loaded here, not at start-up, so `factorlens analyze` does not pay for the web host.
      const [{ openWorkbench }, { startWebHost }] = await Promise.all([import('../open-workbench'), import('../web/server')]);
      const workspace = flags.workspace ? path.resolve(flags.workspace) : defaultWorkspaceFile();
      const workbench = await openWorkbench({ workspaceFile: workspace, dataDir: flags.workspace ? path.dirname(workspace) : defaultDataDir(), demoDataDir: flags.demoData, engineEntryUrl });
      let host;
      try {
        host = await startWebHost({ workbench, rendererDir: path.join(packageRoot, 'out', 'renderer'), port });
      } catch (err) {
        workbench.shutdown();
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') throw new AppError('BAD_ARGUMENT', `port ${port} is already in use`, 'Pick another --port, or leave it out to get a free one.');
        throw err;
      }
      process.stdout.write(`FactorLens Workbench is serving workspace ${workspace}\nOpen: ${host.url}\nPress Ctrl+C to stop.\n`);
      const stop = () => {
        void host.close().then(() => {
          workbench.shutdown();
          process.exit(0);
        });
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
