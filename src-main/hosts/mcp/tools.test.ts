import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../analyses';
import { buildProgram } from '../cli/program';
import { paramOfFlag, toolNameOf } from './tool-schema';
import { toolList } from './tools';

/**
 * One definition, every front door: each command of the registry is a tool, and the tool takes
 * every flag its CLI command takes (snake_case), no more than those and its output and time
 * parameters. A flag added to a definition reaches the CLI and the MCP server together.
 */
const program = buildProgram('0.0.0', '/nowhere', 'file:///nowhere/cli.js', () => {
  throw new Error('no engine in this test');
});

function cliCommand(name: string): Command {
  const [head, sub] = name.split(' ');
  const cmd = program.commands.find((c) => c.name() === head)!;
  return sub ? cmd.commands.find((c) => c.name() === sub)! : cmd;
}

// Flags of the CLI that are about the terminal or the CLI's own files, not the analysis; the
// guided investigation's settings files (--config, --profile, --profile-config) are given as parameters instead.
const CLI_ONLY = new Set(['help', 'out_profile', 'profile_format']);
const CLI_ONLY_OF: Record<string, string[]> = { investigate: ['config', 'profile', 'profile_config'] };
// Parameters a tool has beyond its command's flags.
const TOOL_ONLY = new Set(['timeout_sec', 'out_profile']);

describe('the MCP tools are the registry’s commands', () => {
  const tools = toolList();
  for (const def of COMMANDS.filter((c) => !c.command.startsWith('explain'))) {
    it(`${def.command}: the tool takes the command's flags`, () => {
      const tool = tools.find((t) => t.name === toolNameOf(def.command));
      expect(tool, toolNameOf(def.command)).toBeDefined();
      const flags = cliCommand(def.command)
        .options.map((o) => paramOfFlag(o.long!))
        .filter((f) => !CLI_ONLY.has(f) && !(CLI_ONLY_OF[def.command] ?? []).includes(f));
      expect(tool!.params.filter((p) => !TOOL_ONLY.has(p)).sort()).toEqual([...new Set(flags)].sort());
      // Every parameter is described, and typed where the schema says the type.
      const props = tool!.inputSchema.properties as Record<string, { description?: string }>;
      for (const p of tool!.params) expect(props[p]?.description, `${tool!.name}.${p}`).toBeTruthy();
    });
  }

  it('gives numbers, lists and choices their JSON types from the analysis schema', () => {
    const props = tools.find((t) => t.name === 'analyze_drivers')!.inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(props.method).toMatchObject({ type: 'string', enum: ['lmdi', 'shapley', 'seed'], default: 'lmdi' });
    expect(props.metric).toMatchObject({ type: 'string', minLength: 1 });
    const segments = tools.find((t) => t.name === 'analyze_segments')!.inputSchema.properties as Record<string, Record<string, unknown>>;
    expect(segments.dimensions).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(segments.max_depth).toMatchObject({ type: 'integer' });
  });
});
