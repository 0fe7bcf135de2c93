import { Command, Option } from 'commander';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { engineEntryBeside, keepStdoutForProtocol } from '../../process/engine-entry';
import { nodeEngineLauncher } from '../../process/engine-process';
import { JobRunner } from '../../process/job-runner';
import { filesInside } from '../../services/file-access';
import { portNumber, wholeNumber } from './args';

interface McpFlags {
  http?: true;
  port?: string;
  token?: string;
  allowRead?: string[];
  allowWrite?: string[];
  timeoutSec?: string;
}

/** The original's defaults: read data, profiles, artifacts and certs; write artifacts (relative to where the server starts). */
const DEFAULT_READ = ['data', 'profiles', 'artifacts', 'certs'];
const DEFAULT_WRITE = ['artifacts'];

/** A folder list from the flags, else from a comma-separated environment variable, else the defaults; absolute. */
function folders(given: string[] | undefined, env: string, defaults: string[]): string[] {
  const fromEnv = process.env[env]
    ?.split(',')
    .map((d) => d.trim())
    .filter(Boolean);
  const list = given && given.length > 0 ? given : fromEnv && fromEnv.length > 0 ? fromEnv : defaults;
  return [...new Set(list.map((d) => path.resolve(d)))];
}

/** The refusal of a path outside the folders, saying which folders and how to add one. */
const refusal = (verb: 'read' | 'write', flag: string) => (file: string, what: string, dirs: string[]) =>
  new AppError(
    'PATH_NOT_ALLOWED',
    `${what} ${file} is outside the folders this MCP server may ${verb} (${dirs.join(', ')})`,
    `Move the file into one of them, or restart \`factorlens mcp\` with \`${flag} <folder>\` (repeat it for more folders).`,
  );

function sdkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@modelcontextprotocol/sdk/package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function mcpCommand(version: string, engineEntryUrl: string): Command {
  return new Command('mcp')
    .description('Serve the analyses to AI assistants over MCP (stdio; or Streamable HTTP on 127.0.0.1 with --http)')
    .option('--http', 'serve Streamable HTTP on 127.0.0.1 at /mcp instead of stdio (a bearer token is required)')
    .option('--port <port>', 'HTTP port (default: 8000; 0 picks a free one)')
    .option('--token <token>', 'HTTP bearer token (default: FACTORLENS_MCP_TOKEN, else a random one, printed on stderr)')
    .addOption(
      new Option(
        '--allow-read <dir>',
        'a folder tools may read (repeatable; default: FACTORLENS_ALLOWED_READ_DIRS, else data, profiles, artifacts, certs)',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--allow-write <dir>',
        'a folder tools may write; the first holds default outputs (repeatable; default: FACTORLENS_ALLOWED_WRITE_DIRS, else artifacts)',
      ).argParser(collect),
    )
    .option('--timeout-sec <n>', 'time limit of a call unless it gives timeout_sec (default: FACTORLENS_CMD_TIMEOUT_SEC, else 180)')
    .addHelpText(
      'after',
      `
Examples:
  factorlens mcp --allow-read data --allow-write artifacts
  factorlens mcp --http --port 8000 --allow-read ~/data --allow-write ~/artifacts`,
    )
    .action(async (f: McpFlags) => {
      const timeoutText = f.timeoutSec ?? process.env.FACTORLENS_CMD_TIMEOUT_SEC ?? '180';
      const timeoutSec = wholeNumber('--timeout-sec', timeoutText, 1);
      const port = f.port === undefined ? 8000 : portNumber(f.port, 'Give a port such as --port 8000, or --port 0 for a free one.');
      const writeDirs = folders(f.allowWrite, 'FACTORLENS_ALLOWED_WRITE_DIRS', DEFAULT_WRITE);
      const readDirs = folders(f.allowRead, 'FACTORLENS_ALLOWED_READ_DIRS', DEFAULT_READ);
      try {
        mkdirSync(writeDirs[0]!, { recursive: true });
      } catch (err) {
        throw new AppError(
          'WRITE_FAILED',
          `cannot create the write folder ${writeDirs[0]} (${(err as Error).message})`,
          'Give --allow-write a folder this user may create and write.',
        );
      }
      if (!f.http) keepStdoutForProtocol();
      // Loaded here, not at start-up, so the other commands do not pay for the MCP SDK.
      const [{ createMcpServer }, { startMcpHttp }, { StdioServerTransport }] = await Promise.all([
        import('../mcp/server'),
        import('../mcp/http'),
        import('@modelcontextprotocol/sdk/server/stdio.js'),
      ]);
      const runner = new JobRunner(nodeEngineLauncher(engineEntryBeside(engineEntryUrl)), { warm: true });
      const ctx = {
        runner,
        read: filesInside(() => [...readDirs, ...writeDirs], refusal('read', '--allow-read')),
        write: filesInside(() => writeDirs, refusal('write', '--allow-write')),
        readDirs,
        writeDirs,
        timeoutSec,
        version,
        sdkVersion: sdkVersion(),
        transport: f.http ? ('http' as const) : ('stdio' as const),
      };
      const log = (line: string) => process.stderr.write(`${line}\n`);
      let closed: () => void = () => {};
      const done = new Promise<void>((resolve) => (closed = resolve));
      if (f.http) {
        let host;
        try {
          host = await startMcpHttp({
            port,
            token: f.token ?? process.env.FACTORLENS_MCP_TOKEN,
            serverForSession: () => createMcpServer(ctx),
          });
        } catch (err) {
          runner.close();
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE')
            throw new AppError('BAD_ARGUMENT', `port ${port} is already in use`, 'Pick another --port, or --port 0 for a free one.');
          throw err;
        }
        log(`FactorLens MCP server (Streamable HTTP): ${host.url}`);
        log(`Authorization: Bearer ${host.token}`);
        log(`Reads: ${readDirs.join(', ')}; writes: ${writeDirs.join(', ')}. Press Ctrl+C to stop.`);
        const stop = () => void host.close().then(closed);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } else {
        const server = createMcpServer(ctx);
        const transport = new StdioServerTransport();
        transport.onclose = closed;
        process.stdin.once('end', () => void server.close().then(closed));
        await server.connect(transport);
        log(`FactorLens MCP server on stdio. Reads: ${readDirs.join(', ')}; writes: ${writeDirs.join(', ')}.`);
      }
      await done;
      runner.close();
    });
}
