/**
 * The CLI behaves like a well-made CLI: every command's help has an example, lists its inputs
 * first and marks the flags that must be given; `--version` prints the package's version; parser
 * errors are typed errors with a hint; an error's options are named by the running command's flags.
 * The generic parts run on real commander Commands in-process; the rest through the built CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { AppError } from '../src-shared/errors';
import { commandOf, errorText, exitStatus, hintFor, optionFlags } from '../src-main/hosts/cli/error-output';
import { helpFormat, INPUT_OPTIONS } from '../src-main/hosts/cli/help-format';
import { usageError } from '../src-main/hosts/cli/usage-error';
import { buildProgram } from '../src-main/hosts/cli/program';
import { COMMANDS } from '../src-main/analyses';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The program as the CLI builds it (no engine starts: the runner is asked for only when a command runs). */
function program(): Command {
  return buildProgram(version, root, pathToFileURL(path.join(root, 'out', 'main', 'cli.js')).href, () => {
    throw new Error('no command runs in these tests');
  });
}

/** Every command that runs something (not a command of commands), as typed: "factors fit". */
function leafCommands(cmd: Command, prefix: string[] = []): { words: string[]; cmd: Command }[] {
  return cmd.commands.flatMap((c) =>
    c.commands.length ? leafCommands(c, [...prefix, c.name()]) : [{ words: [...prefix, c.name()], cmd: c }],
  );
}

/** The option entries of a help text: the flags of each, and its description (wrapped lines joined). */
function helpEntries(help: string): { flags: string; text: string }[] {
  const lines = help.split('\n');
  const start = lines.indexOf('Options:');
  const entries: { flags: string; text: string }[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    const m = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (m) entries.push({ flags: m[1]!.trim(), text: m[2] ?? '' });
    else entries[entries.length - 1]!.text += ` ${line.trim()}`;
  }
  return entries;
}

/** The typed error a command line gives when parsed by `cmd` (set up the way program.ts sets up every command). */
function parseError(cmd: Command, args: string[]): AppError {
  const all = (c: Command): void => {
    c.exitOverride((err) => {
      throw usageError(c, err) ?? err;
    }).configureOutput({ outputError: () => {}, writeErr: () => {}, writeOut: () => {} });
    c.commands.forEach(all);
  };
  all(cmd);
  try {
    cmd.parse(args, { from: 'user' });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('error output: the flags an error is about', () => {
  const analyze = () =>
    new Command('factorlens').addCommand(
      new Command('analyze')
        .option('--group-by <cols>', 'group columns')
        .option('--min-records <n>', 'smallest segment')
        .option('--no-color', 'plain output')
        .option('-q, --quiet', 'say less'),
    );

  it("maps option keys to the running command's flags through commander, and keeps keys it has no flag for", () => {
    const cmd = analyze().commands[0]!;
    expect(optionFlags(cmd, ['groupBy', 'minRecords', 'quiet', 'percentiles'])).toEqual([
      '--group-by',
      '--min-records',
      '--quiet',
      'percentiles',
    ]);
    // A negated flag (--no-color) sets `color` to false: it is not the flag to give for `color`.
    expect(optionFlags(cmd, ['color'])).toEqual(['color']);
  });

  it('prints the flags after the hint, and a hint for an error that has none', () => {
    const cmd = analyze().commands[0]!;
    const info = new AppError('NO_GROUP_COLUMNS', 'no group columns found', 'Name the columns to group by.', ['groupBy']).toInfo();
    expect(errorText(info, cmd)).toBe(
      'Error [NO_GROUP_COLUMNS]: no group columns found\nHint: Name the columns to group by. (--group-by)\n',
    );
    expect(hintFor({ code: 'BAD_ARGUMENT', message: 'x', hint: 'Lower them.', options: ['minRecords', 'percentiles'] }, cmd)).toBe(
      'Lower them. (--min-records, percentiles)',
    );
    expect(hintFor({ code: 'BAD_ARGUMENT', message: 'x' }, cmd)).toBe('Run factorlens analyze --help for the options.');
    expect(hintFor({ code: 'BAD_ARGUMENT', message: 'x' }, analyze())).toBe('Run factorlens --help for the commands.');
  });

  it('finds the command a command line runs, nested or not', () => {
    const p = program();
    expect(commandOf(p, ['factors', 'fit', '--k', '3']).name()).toBe('fit');
    expect(commandOf(p, ['analyze', '--input', 'factors'])).toBe(p.commands.find((c) => c.name() === 'analyze'));
    expect(commandOf(p, ['--version'])).toBe(p);
  });

  it('exits 2 for a usage error and 1 for a run that failed', () => {
    expect(exitStatus({ code: 'BAD_ARGUMENT', message: '' })).toBe(2);
    expect(exitStatus({ code: 'FILE_NOT_FOUND', message: '' })).toBe(1);
    expect(exitStatus({ code: 'DB_UNREACHABLE', message: '' })).toBe(1);
    expect(exitStatus({ code: 'INTERNAL', message: '' })).toBe(1);
  });
});

describe('parser errors are typed BAD_ARGUMENT errors that say what to do (any commander Command)', () => {
  const tool = () => {
    const run = new Command('run')
      .requiredOption('--input <file>', 'the table to read')
      .addOption(new Option('--agg <how>', 'aggregation').choices(['sum', 'mean', 'median']))
      .option('--top <n>', 'rows to show')
      .action(() => {});
    return new Command('tool')
      .addCommand(run)
      .addCommand(new Command('group').addCommand(new Command('fit').action(() => {})).addCommand(new Command('regress').action(() => {})));
  };

  it('a missing required flag names it and what it is for', () => {
    const e = parseError(tool(), ['run']);
    expect([e.code, e.message, e.hint]).toEqual([
      'BAD_ARGUMENT',
      'tool run needs --input <file>',
      'Add --input <file> (the table to read); run tool run --help for the options and an example.',
    ]);
  });

  it('a bad choice lists the choices', () => {
    const e = parseError(tool(), ['run', '--input', 'a.csv', '--agg', 'avg']);
    expect([e.message, e.hint]).toEqual([
      "--agg must be one of sum, mean, median (got 'avg')",
      'Give --agg one of sum, mean, median, e.g. --agg sum.',
    ]);
  });

  it('an unknown or misspelt flag, a flag without its value, words of no flag', () => {
    expect(parseError(tool(), ['run', '--input', 'a.csv', '--bogus']).hint).toBe(
      'Check the spelling of the flag; run tool run --help for the options and an example.',
    );
    const misspelt = parseError(tool(), ['run', '--input', 'a.csv', '--tpo', '3']);
    expect([misspelt.message, misspelt.hint]).toEqual([
      "unknown option '--tpo'",
      'Did you mean --top? Otherwise run tool run --help for the options and an example.',
    ]);
    const noValue = parseError(tool(), ['run', '--input']);
    expect([noValue.message, noValue.hint]).toEqual([
      '--input needs a value',
      'Put the value right after the flag: --input <file> (the table to read); quote a value that has spaces.',
    ]);
    expect(parseError(tool(), ['run', 'a.csv', '--input', 'a.csv']).message).toBe(
      "too many arguments for 'run'. Expected 0 arguments but got 1.",
    );
  });

  it('an unknown command, and a command of commands given none', () => {
    const unknown = parseError(tool(), ['rnu']);
    expect([unknown.message, unknown.hint]).toEqual([
      "unknown command 'rnu'",
      'Did you mean run? Otherwise run tool --help for the commands.',
    ]);
    const none = parseError(tool(), ['group']);
    expect([none.code, none.message, none.hint]).toEqual([
      'BAD_ARGUMENT',
      'tool group needs a command: fit, regress',
      'Add one of them, e.g. tool group fit --help to see what it does and takes.',
    ]);
  });

  it('--help and --version are no errors', () => {
    const t = tool().version('1.2.3');
    t.exitOverride().configureOutput({ writeOut: () => {} });
    expect(() => t.parse(['--version'], { from: 'user' })).toThrow(expect.objectContaining({ exitCode: 0, code: 'commander.version' }));
    expect(
      usageError(t, Object.assign(new Error('(outputHelp)'), { exitCode: 0, code: 'commander.helpDisplayed', nestedError: undefined })),
    ).toBeNull();
  });
});

describe('help: inputs first, required flags marked (every command of the CLI, in-process)', () => {
  const commands = leafCommands(program());

  it('covers every command', () => {
    expect(commands.map((c) => c.words.join(' '))).toEqual(
      expect.arrayContaining([
        'analyze',
        'analyze-validate',
        'analyze-suggest',
        'analyze-compare',
        'analyze-drivers',
        'analyze-investigate',
        'factors fit',
        'factors regress',
        'report',
        'explain',
        'explain-analyze',
        'serve',
      ]),
    );
  });

  it.each(commands.map((c) => [c.words.join(' '), c.cmd] as const))('%s', (_name, cmd) => {
    const entries = helpEntries(cmd.helpInformation());
    const shown = entries.map((e) => e.flags.split(/[ ,]/)[0]);
    const own = cmd.options.filter((o) => !o.hidden);
    expect(shown.slice(0, -1).sort(), 'every option is listed, --help last').toEqual(own.map((o) => o.long ?? o.short).sort());
    expect(shown.at(-1)).toBe('-h');
    // What is read comes before anything else.
    const isInput = (flag: string | undefined) =>
      own.some((o) => (o.long ?? o.short) === flag && (INPUT_OPTIONS as readonly string[]).includes(o.attributeName()));
    const inputs = shown.filter(isInput).length;
    expect(shown.slice(0, inputs).every(isInput), shown.join(' ')).toBe(true);
    for (const option of own) {
      const entry = entries.find((e) => e.flags.split(/[ ,]/)[0] === (option.long ?? option.short))!;
      expect(entry.text.endsWith('(required)'), `${option.flags}: ${entry.text}`).toBe(option.mandatory);
    }
  });

  it('the ordering rule on its own: inputs in the listed order, then required flags, then the rest as declared', () => {
    const cmd = new Command('x')
      .option('--top <n>')
      .requiredOption('--metric <col>')
      .option('--query <sql>')
      .option('--input <file>')
      .option('--out <file>')
      .configureHelp(helpFormat);
    expect(helpEntries(cmd.helpInformation()).map((e) => e.flags.split(' ')[0])).toEqual([
      '--input',
      '--query',
      '--metric',
      '--top',
      '--out',
      '-h,',
    ]);
  });
});

describe('help and version through the built CLI', () => {
  const ALL = [
    'analyze',
    'analyze-validate',
    'analyze-suggest',
    'analyze-compare',
    'analyze-drivers',
    'analyze-investigate',
    'factors fit',
    'factors regress',
    'report',
    'explain',
    'explain-analyze',
    'serve',
  ];
  it.each(ALL)('%s --help shows an example and exits 0', (command) => {
    const r = cli([...command.split(' '), '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\nExamples?:\n {2}factorlens /);
  });

  it('marks required flags in the printed help', () => {
    const compare = cli(['analyze-compare', '--help']).stdout;
    expect(compare).toMatch(/--base <json> +the earlier analyze JSON artifact \(required\)/);
    expect(compare).toMatch(/--new <json> +the later analyze JSON artifact \(required\)/);
    expect(compare).not.toMatch(/--top-movers.*\(required\)/);
  });

  it('--version and -V print the package version', () => {
    for (const flag of ['--version', '-V']) {
      const r = cli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${version}\n`);
    }
  });

  it('serve --help shows no path of this machine', () => {
    const r = cli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const local of [root, os.homedir(), os.tmpdir()]) expect(r.stdout).not.toContain(local);
    expect(r.stdout).not.toMatch(/(^|[\s("'])\/(home|root|tmp|usr|var|opt|work|Users)\//m);
    const words = r.stdout.replace(/\s+/g, ' ');
    expect(words).toContain('--demo-data <dir> folder whose CSVs seed a new workspace (default: the demo data installed with FactorLens)');
    expect(words).toContain('(default: the user’s workspace file, the one the desktop app opens)');
  });

  it('a parser error: the same two lines as any error, exit 2, no commander "error:" line', () => {
    const r = cli(['analyze', '--input', path.join(root, 'data', 'factorlens_demo_sales.csv'), '--agg', 'avg']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "Error [BAD_ARGUMENT]: --agg must be one of sum, mean, median (got 'avg')\nHint: Give --agg one of sum, mean, median, e.g. --agg sum.\n",
    );
    expect(r.stdout).toBe('');
  });

  it('ends quietly with 141 (as after SIGPIPE) when the reader of its output goes away', async () => {
    const child = spawn(process.execPath, [bin, 'analyze', '--help'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // like `| head` that has read enough: the help cannot be written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(141);
  });

  it('a missing analyze-compare file is FILE_NOT_FOUND in words, not a raw ENOENT', () => {
    const r = cli(['analyze-compare', '--base', 'nope.json', '--new', 'nope.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error \[FILE_NOT_FOUND\]: --base nope\.json: no such file\nHint: Check the path/);
    expect(r.stderr).not.toContain('ENOENT');
  });
});

describe('the CLI is built from the registry (src-main/analyses)', () => {
  const commands = leafCommands(program());

  it.each(COMMANDS.map((entry) => [entry.command, entry] as const))(
    '%s: its summary, every option of its schema as a flag, its examples',
    (name, entry) => {
      const found = commands.find((c) => c.words.join(' ') === name);
      expect(found, `no command ${name}`).toBeDefined();
      const cmd = found!.cmd;
      expect(cmd.description()).toBe(entry.summary);
      const attributes = cmd.options.map((o) => o.attributeName());
      // Every option the entry lists has its flag (the period groups stand for several flags).
      for (const spec of entry.flags.filter((s) => !s.flag.startsWith('period')))
        expect(attributes).toContain(new Option(spec.flag).attributeName());
      for (const input of entry.inputs) expect(cmd.options.map((o) => o.long)).toContain(input.flag);
      let after = '';
      cmd.configureOutput({ writeOut: (s) => (after += s), writeErr: () => {} });
      cmd.outputHelp();
      for (const example of entry.examples) expect(after).toContain(example.split('\n')[0]!);
    },
  );
});
