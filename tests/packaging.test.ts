/**
 * The installer configuration (electron-builder.mjs) against the installed tree, for this
 * platform, with electron-builder's own file matchers (tests/packaging/packaged-files.ts): native
 * modules outside app.asar, the built app inside it, nothing else of the repository, the fuses and
 * file associations, and `npm run dist` on a machine without the Electron binary.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  appFiles,
  appFilter,
  extraResourceCopies,
  isNativeFile,
  loadConfig,
  nodeModuleFilter,
  packageFiles,
  productionPackages,
  root,
  unpackFilter,
  validateConfiguration,
  type BuilderConfig,
} from './packaging/packaged-files';

let config: BuilderConfig;
let packaged: string[];
let nativeFiles: string[];

beforeAll(() => {
  if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
    const built = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('electron-vite build failed');
  }
}, 120_000);

beforeAll(async () => {
  config = await loadConfig();
  packaged = appFiles(config);
  nativeFiles = productionPackages().flatMap(packageFiles).filter(isNativeFile);
});

/** Native files of the production tree that the given asarUnpack patterns leave inside app.asar. */
function packedNativeFiles(asarUnpack: string[]): string[] {
  const unpacked = unpackFilter({ ...config, asarUnpack });
  return nativeFiles.filter((file) => !unpacked(file));
}

const FORBIDDEN =
  /^(tests|bench-data|scripts|src-main|src-renderer|src-shared|artifacts|docs|scratch|test-results|node_modules|build|dist)\/|\.gguf$|\.map$/;

describe('electron-builder.mjs', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(validateConfiguration(config, { isEnabled: false })).resolves.toBeUndefined();
    // The validator does reject a misspelt key (so the pass above means something).
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(misspelt, { isEnabled: false })).rejects.toThrow(/electronFuses/);
  });

  it('unpacks every native file of the production dependency tree from app.asar', () => {
    // This platform's better-sqlite3 prebuild, DuckDB's bindings and node-llama-cpp's addon are among them.
    const platform = `${process.platform}-${process.arch}`;
    expect(nativeFiles).toContain(`node_modules/better-sqlite3/prebuilds/${platform}.node`);
    expect(nativeFiles.some((f) => f.startsWith(`node_modules/@duckdb/node-bindings-${platform}/`) && f.endsWith('duckdb.node'))).toBe(
      true,
    );
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(nativeFiles).toContain('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node');
      expect(nativeFiles).toContain('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/_nlcBuildMetadata.json');
    }
    expect(packedNativeFiles(config.asarUnpack)).toEqual([]);
  });

  it('finds the native files left in app.asar when an unpack pattern is removed', () => {
    // Without the @node-llama-cpp pattern, llama.cpp's build metadata (a .json beside the addon)
    // would stay in the archive, where node-llama-cpp cannot read it from disk.
    const withoutLlama = config.asarUnpack.filter((p) => p !== 'node_modules/@node-llama-cpp/**');
    expect(withoutLlama).toHaveLength(config.asarUnpack.length - 1);
    const left = packedNativeFiles(withoutLlama);
    expect(left.length).toBeGreaterThan(0);
    expect(left.every((f) => f.startsWith('node_modules/@node-llama-cpp/'))).toBe(true);
    // Without the catch-alls and the package patterns, the .node files stay packed.
    expect(packedNativeFiles([])).toEqual(nativeFiles);
  });

  it('packs the built app: main, engine, model and CLI entries, preload and renderer', () => {
    for (const file of [
      'out/main/index.js',
      'out/main/engine.js',
      'out/main/model.js',
      'out/main/cli.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'package.json',
    ]) {
      expect(packaged).toContain(file);
    }
    expect(packaged.some((f) => /^out\/renderer\/assets\/index-.*\.js$/.test(f))).toBe(true);
  });

  it('packs nothing else of the repository: no sources, tests, scripts, bench data, artifacts, models or source maps', () => {
    const stray = packaged.filter((f) => FORBIDDEN.test(f) || !(f.startsWith('out/') || f === 'package.json'));
    expect(stray).toEqual([]);
    // Files that may not exist right now would be refused too.
    const packs = appFilter(config);
    for (const file of [
      'resources/models/model.gguf',
      'tests/cli.test.ts',
      'bench-data/wide.csv',
      'src-main/app/main.ts',
      'scripts/dist.mjs',
      'out/main/index.js.map',
      'artifacts/report.html',
      'docs/guide.md',
      'README.md',
    ]) {
      expect({ file, packed: packs(file) }).toEqual({ file, packed: false });
    }
    expect(packs('out/main/index.js')).toBe(true);
  });

  it('copies the demo data, example profiles and the models README next to app.asar, never a model or another file', () => {
    const copies = extraResourceCopies(config);
    expect(copies.map((c) => `${c.from} -> ${c.to}`)).toEqual([
      'data -> data',
      'profiles -> profiles',
      path.join('resources', 'models') + ' -> models',
    ]);
    const [data, profiles, models] = copies;
    expect(data!.files).toContain('data/factorlens_demo_sales.csv');
    expect(data!.files.every((f) => /^data\/[^/]+\.(csv|toml)$/.test(f))).toBe(true);
    expect(profiles!.files.length).toBeGreaterThan(0);
    expect(profiles!.files.every((f) => /^profiles\/[^/]+\.toml$/.test(f))).toBe(true);
    expect(models!.files).toEqual(['resources/models/README.md']);
    for (const copy of copies) {
      expect(copy.files.filter((f) => FORBIDDEN.test(f))).toEqual([]);
      expect(copy.wouldCopy('llama-3.2-1b-instruct.Q4_K_M.gguf')).toBe(false);
    }
    expect(data!.wouldCopy('notes.md')).toBe(false);
  });

  it("keeps only this platform's llama.cpp binaries, without CUDA", () => {
    const packs = nodeModuleFilter(config);
    const llamaBins = nativeFiles.filter((f) => /^node_modules\/@node-llama-cpp\/[^/]+\/bins\//.test(f));
    const kept = new Set(llamaBins.filter(packs).map((f) => f.split('/')[2] ?? f));
    const os = ({ darwin: 'mac', win32: 'win' } as Record<string, string>)[process.platform] ?? process.platform;
    for (const pkg of kept) {
      expect(pkg.startsWith(`${os}-${process.arch}`)).toBe(true);
      expect(pkg).not.toMatch(/cuda/);
    }
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect([...kept].sort()).toEqual(['linux-x64', 'linux-x64-vulkan']);
      expect(packs('node_modules/@node-llama-cpp/linux-arm64/bins/linux-arm64/llama-addon.node')).toBe(false);
      expect(packs('node_modules/@node-llama-cpp/linux-x64-cuda/package.json')).toBe(true);
    }
    expect(packs(`node_modules/better-sqlite3/prebuilds/${process.platform}-${process.arch}.node`)).toBe(true);
    expect(packs('node_modules/better-sqlite3/lib/index.js')).toBe(true);
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('opens .flworkspace as its editor and offers itself for .csv', () => {
    const byExt = Object.fromEntries(config.fileAssociations.map((a) => [a.ext, a]));
    expect(Object.keys(byExt).sort()).toEqual(['csv', 'flworkspace']);
    expect(byExt.flworkspace).toMatchObject({
      role: 'Editor',
      name: 'FactorLens Workspace',
      mimeType: 'application/x-factorlens-workspace',
    });
    expect(byExt.csv).toMatchObject({ role: 'Viewer', rank: 'Alternate', mimeType: 'text/csv' });
  });
});

describe('npm run dist without the Electron binary', () => {
  it('says the binary is not installed, builds nothing and exits 0', () => {
    const noElectron = mkdtempSync(path.join(tmpdir(), 'fl-no-electron-'));
    const distBefore = existsSync(path.join(root, 'dist'));
    try {
      const started = Date.now();
      const run = spawnSync(process.execPath, ['scripts/dist.mjs'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, FACTORLENS_ELECTRON_DIST: noElectron },
        timeout: 20_000,
      });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/The Electron [\d.]+ binary is not installed here .* so no installer was built\./);
      expect(run.stdout).toContain('npx install-electron --no');
      expect(run.stdout).toContain('node node_modules/electron/install.js');
      expect(run.stderr).not.toMatch(/\bat .*:\d+:\d+/); // no stack trace
      expect(Date.now() - started).toBeLessThan(10_000); // it stopped before building anything
      if (!distBefore) expect(existsSync(path.join(root, 'dist'))).toBe(false);
    } finally {
      rmSync(noElectron, { recursive: true, force: true });
    }
  });

  it('refuses an unknown option with a message and exit code 1', () => {
    const run = spawnSync(process.execPath, ['scripts/dist.mjs', '--publish', 'sometimes'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--publish sometimes is not one of always, never, onTag, onTagOrDraft');
  });
});
