import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { toErrorInfo } from '../../../src-shared/errors';
import { progressNotes } from './progress';
import { toolList, type Tool, type ToolContext } from './tools';

/**
 * The MCP server of FactorLens: the registry's analyses as tools (tools.ts), the files they wrote
 * as resources. One server object per client session (stdio has one; HTTP one per session); the
 * engines, folders and limits of the ToolContext are shared.
 */

const MIME: Record<string, string> = {
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.html': 'text/html',
  '.csv': 'text/csv',
  '.toml': 'application/toml',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};

/**
 * A tool's typed error as MCP tool errors are sent: a result marked isError, whose text says the
 * code, what went wrong and what to do. A CLI flag named in the text (`--group-by`) is said as
 * the tool's parameter (`group_by`) when the tool has one by that name.
 */
export function errorResult(err: unknown, tool: Pick<Tool, 'params'> | null): CallToolResult {
  const info = toErrorInfo(err);
  const rename = (s: string) =>
    s.replace(/--([a-z][a-z0-9-]*)/g, (whole, name: string) => {
      const param = name.replace(/-/g, '_');
      return tool?.params.includes(param) ? param : whole;
    });
  const error = { code: info.code, message: rename(info.message), hint: rename(info.hint ?? '') };
  return {
    isError: true,
    content: [{ type: 'text', text: `Error [${error.code}]: ${error.message}\nHint: ${error.hint}` }],
    structuredContent: { ok: false, error },
  };
}

/** The files of the write folders (the artifacts the tools wrote), three folders deep at most. */
async function artifactFiles(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 3) await walk(full, depth + 1);
      else if (e.isFile() && MIME[path.extname(e.name).toLowerCase()]) found.push(full);
    }
  };
  for (const dir of dirs) await walk(dir, 0);
  return found.slice(0, 1000);
}

export function createMcpServer(ctx: ToolContext): Server {
  const server = new Server(
    { name: 'factorlens', title: 'FactorLens Workbench', version: ctx.version },
    {
      capabilities: { tools: {}, resources: { listChanged: true } },
      instructions:
        'FactorLens explains why a business metric changed. Start with analyze_suggest on a new table, then analyze (segments), ' +
        'analyze_drivers (formula drivers and residual), analyze_segments (where it changed) or investigate (a guided drill-down). ' +
        'Every number comes from the tools; files are read and written only inside the server’s folders (server_info lists them).',
    },
  );
  const tools = toolList();

  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema as never,
      annotations: { readOnlyHint: t.readOnly, destructiveHint: false, idempotentHint: true },
    })),
  }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = tools.find((t) => t.name === request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `no tool named ${request.params.name}; tools/list gives their names`);
    const token = request.params._meta?.progressToken;
    const progress =
      token === undefined
        ? () => {}
        : progressNotes((note) => {
            void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...note } }).catch(() => {});
          });
    try {
      const out = await tool.run(request.params.arguments ?? {}, ctx, { signal: extra.signal, progress });
      if (out.files.length > 0) void server.sendResourceListChanged().catch(() => {});
      return {
        content: [
          { type: 'text', text: out.text },
          ...out.files.map((file) => ({
            type: 'resource_link' as const,
            uri: pathToFileURL(file).href,
            name: path.basename(file),
            mimeType: MIME[path.extname(file).toLowerCase()] ?? 'text/plain',
          })),
        ],
        structuredContent: out.data,
      };
    } catch (err) {
      return errorResult(err, tool);
    }
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: (await artifactFiles(ctx.writeDirs)).map((file) => ({
      uri: pathToFileURL(file).href,
      name: path.relative(ctx.writeDirs.find((d) => file.startsWith(d + path.sep)) ?? path.dirname(file), file),
      mimeType: MIME[path.extname(file).toLowerCase()],
    })),
  }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    let file: string;
    try {
      file = fileURLToPath(request.params.uri);
    } catch {
      throw new McpError(ErrorCode.InvalidParams, `${request.params.uri} is not a file: URI of this server (resources/list gives them)`);
    }
    try {
      const allowed = await ctx.read.allow(file, 'the resource');
      return {
        contents: [
          {
            uri: request.params.uri,
            mimeType: MIME[path.extname(file).toLowerCase()] ?? 'text/plain',
            text: await readFile(allowed, 'utf8'),
          },
        ],
      };
    } catch (err) {
      const info = toErrorInfo(err);
      throw new McpError(ErrorCode.InvalidParams, `${info.code}: ${info.message}`, { code: info.code });
    }
  });

  return server;
}
