/**
 * What electron-builder would pack for this platform, computed without packaging (the Electron
 * binary is not needed): the file lists come from electron-builder's own matchers
 * (app-builder-lib's FileMatcher, getMainFileMatchers, getNodeModuleFileMatcher, expandMacro), so
 * the glob semantics are exactly the packager's: minimatch { dot: true }, no matchBase, paths
 * relative to the project, node_modules files as `node_modules/<pkg>/...`.
 */
import { lstatSync, readdirSync, readFileSync, existsSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export const root = path.resolve(import.meta.dirname, '..', '..');

/** The parts of electron-builder.mjs these checks read. */
export interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  electronFuses: Record<string, boolean>;
  fileAssociations: Record<string, string>[];
  [key: string]: unknown;
}

type Filter = (file: string, stat: Stats) => boolean;
interface Matcher {
  from: string;
  to: string;
  isEmpty(): boolean;
  containsOnlyIgnore(): boolean;
  prependPattern(pattern: string): void;
  createFilter(): Filter;
}
interface FileMatcherModule {
  getMainFileMatchers(...args: unknown[]): Matcher[];
  getNodeModuleFileMatcher(...args: unknown[]): Matcher;
  getFileMatchers(config: unknown, name: string, destination: string, options: unknown): Matcher[] | null;
}

const fileMatcher = require('app-builder-lib/out/fileMatcher.js') as FileMatcherModule;
const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js') as {
  expandMacro(pattern: string, arch: string | null, appInfo: object, extra: Record<string, string>): string;
};
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean }): Promise<void>;
};

export { validateConfiguration };

/** electron-builder's name for this OS in `${os}` and in the config keys (linux, mac, win). */
export const osKey = ({ darwin: 'mac', win32: 'win' } as Record<string, string>)[process.platform] ?? 'linux';

export async function loadConfig(): Promise<BuilderConfig> {
  const url = new URL('../../electron-builder.mjs', import.meta.url).href;
  return ((await import(url)) as { default: BuilderConfig }).default;
}

// The same macros the packager expands in file patterns; `/*` as in PlatformPackager.
const macroExpander = (pattern: string) => expandMacro(pattern, process.arch, {}, { os: osKey, '/*': '{,/**/*}' });

function fakePackager(config: BuilderConfig) {
  return {
    info: {
      projectDir: root,
      buildResourcesDir: 'build',
      isPrepackedAppAsar: false,
      areNodeModulesHandledExternally: false,
      config,
      debugLogger: { isEnabled: false },
    },
  };
}

function platformOptions(config: BuilderConfig): object {
  return (config[osKey] as object | undefined) ?? {};
}

function matcherOptions(config: BuilderConfig) {
  return { macroExpander, customBuildOptions: platformOptions(config), globalOutDir: path.join(root, 'dist'), defaultSrc: root };
}

/** A stat as electron-builder hands it to a filter for a node_modules file. */
function moduleStat(file: string, projectPath: string): Stats {
  const stat = lstatSync(file) as Stats & { moduleFullFilePath?: string };
  stat.moduleFullFilePath = projectPath;
  return stat;
}

/** Like builder-util's walk: a folder the filter refuses is not entered. Returns project-relative paths. */
function walk(from: string, filter: Filter, relativeTo = root): string[] {
  const found: string[] = [];
  const queue = [from];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    for (const name of readdirSync(dir).sort()) {
      if (name === '.DS_Store' || name === '.gitkeep') continue;
      const file = path.join(dir, name);
      const stat = lstatSync(file);
      if (!filter(file, stat)) continue;
      if (stat.isDirectory()) queue.push(file);
      else found.push(path.relative(relativeTo, file).split(path.sep).join('/'));
    }
  }
  return found.sort();
}

/** The project's own files that go into app.asar (the `files` patterns plus electron-builder's defaults). */
export function appFiles(config: BuilderConfig): string[] {
  const destination = path.join(root, 'dist', 'app');
  const matchers = fileMatcher.getMainFileMatchers(
    root,
    destination,
    macroExpander,
    platformOptions(config),
    fakePackager(config),
    path.join(root, 'dist'),
    false,
  );
  return matchers.flatMap((matcher) => {
    if (matcher.isEmpty() || matcher.containsOnlyIgnore()) matcher.prependPattern('**/*');
    return walk(matcher.from, matcher.createFilter());
  });
}

/** The app filter as a predicate on a project-relative path (for files that need not exist). */
export function appFilter(config: BuilderConfig): (relative: string) => boolean {
  const destination = path.join(root, 'dist', 'app');
  const [matcher] = fileMatcher.getMainFileMatchers(
    root,
    destination,
    macroExpander,
    platformOptions(config),
    fakePackager(config),
    path.join(root, 'dist'),
    false,
  );
  const filter = matcher!.createFilter();
  const fileStat = { isDirectory: () => false } as Stats;
  return (relative) => filter(path.join(root, relative), fileStat);
}

export interface ResourceCopy {
  from: string;
  to: string;
  /** Project-relative paths of the copied files. */
  files: string[];
  /** Whether a (possibly absent) file of this name in `from` would be copied. */
  wouldCopy(name: string): boolean;
}

/** What extraResources copies next to app.asar. */
export function extraResourceCopies(config: BuilderConfig): ResourceCopy[] {
  const resourcesDir = path.join(root, 'dist', 'resources');
  const matchers = fileMatcher.getFileMatchers(config, 'extraResources', resourcesDir, matcherOptions(config)) ?? [];
  return matchers.map((matcher) => {
    if (matcher.isEmpty() || matcher.containsOnlyIgnore()) matcher.prependPattern('**/*');
    const filter = matcher.createFilter();
    const fileStat = { isDirectory: () => false } as Stats;
    return {
      from: path.relative(root, matcher.from),
      to: path.relative(resourcesDir, matcher.to),
      files: existsSync(matcher.from) ? walk(matcher.from, filter) : [],
      wouldCopy: (name: string) => filter(path.join(matcher.from, name), fileStat),
    };
  });
}

/** Installed production packages (package-lock entries that are not dev-only), as `node_modules/...` paths. */
export function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link)
    .map(([key]) => key)
    .filter((key) => existsSync(path.join(root, key)));
}

/** Every file of a package (its nested node_modules are packages of their own), project-relative. */
export function packageFiles(pkg: string): string[] {
  return walk(path.join(root, pkg), (file, stat) => !(stat.isDirectory() && path.basename(file) === 'node_modules'));
}

/** Files the OS loader or node-llama-cpp read from disk: they must be outside app.asar. */
export function isNativeFile(relative: string): boolean {
  return (
    /\.(node|dylib|dll)$/.test(relative) ||
    /\.so(\.\d+)*$/.test(relative) ||
    /^node_modules\/@node-llama-cpp\/[^/]+\/bins\//.test(relative) ||
    /^node_modules\/node-llama-cpp\/(bins|llama\/localBuilds)\//.test(relative)
  );
}

/** The asarUnpack filter as the packager applies it to a node_modules file. */
export function unpackFilter(config: BuilderConfig): (relative: string) => boolean {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', path.join(root, 'dist', 'app'), matcherOptions(config));
  const filter = matchers?.[0]?.createFilter();
  if (!filter) return () => false;
  return (relative) => filter(path.join(root, relative), moduleStat(path.join(root, relative), relative.split('/').join(path.sep)));
}

/** The `files` exclusions as the packager applies them to node_modules (only "!" patterns count there). */
export function nodeModuleFilter(config: BuilderConfig): (relative: string) => boolean {
  const matcher = fileMatcher.getNodeModuleFileMatcher(
    root,
    path.join(root, 'dist', 'app'),
    macroExpander,
    platformOptions(config),
    fakePackager(config).info,
  );
  if (matcher.isEmpty()) return () => true;
  const filter = matcher.createFilter();
  return (relative) => filter(path.join(root, relative), moduleStat(path.join(root, relative), relative.split('/').join(path.sep)));
}
