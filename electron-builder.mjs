// electron-builder configuration for the FactorLens Workbench installers: AppImage and deb on
// Linux, dmg on macOS, an NSIS installer on Windows. `npm run dist` (scripts/dist.mjs) builds the
// current OS's packages with it; .github/workflows/release.yml builds all three on a version tag.
// tests/packaging.test.ts checks it against the installed tree with electron-builder's own matchers.
//
// Glob rules (electron-builder's, not the shell's): minimatch with { dot: true } and no matchBase,
// matched against paths relative to the project (node_modules files as node_modules/<pkg>/...).
// So "*.node" matches only a top-level file: write "**/*.node". A pattern without a dot or glob
// character (a folder name) also matches everything under it.

/** Native files are loaded from disk by the OS loader, which cannot read inside app.asar. */
const NATIVE_FILES = ['**/*.node', '**/*.so', '**/*.so.*', '**/*.dylib', '**/*.dll'];

export default {
  appId: 'io.factorlens.workbench',
  productName: 'FactorLens Workbench',
  executableName: 'factorlens-workbench',
  copyright: 'Copyright © FactorLens Workbench contributors',
  directories: { output: 'dist', buildResources: 'build' },

  // The app is what electron-vite built (out/) plus package.json (its "main" is out/main/index.js).
  // Everything else in the repository (src-*, tests, scripts, bench-data, artifacts, docs, models)
  // stays out. electron-builder adds the production node_modules itself; of this list it applies
  // only the "!" patterns to node_modules, which is why the trimming below is written as exclusions.
  files: [
    'out/**/*',
    '!out/**/*.map',
    'package.json',
    // node-llama-cpp ships prebuilt llama.cpp for several platforms; keep only this OS and arch
    // (`${os}` is linux/mac/win, as in the @node-llama-cpp package names).
    '!node_modules/@node-llama-cpp/!(${os}-${arch}*)/bins{,/**/*}',
    // CUDA builds are 540 MB on Linux x64; the Vulkan build (kept) runs on NVIDIA cards too, and
    // llama.cpp falls back to it or to the CPU build. Remove this line to ship CUDA.
    '!node_modules/@node-llama-cpp/*-cuda*/bins{,/**/*}',
    // Sources for compiling llama.cpp or SQLite from scratch: never done in the installed app.
    '!node_modules/node-llama-cpp/llama/gitRelease.bundle',
    '!node_modules/better-sqlite3/{deps,src}{,/**/*}',
  ],

  // Demo tables, example profiles and the models folder sit beside app.asar in
  // process.resourcesPath (see src-main/app/main.ts). GGUF models are not shipped by default
  // (they are gigabytes): `npm run dist -- --with-models` adds resources/models/*.gguf.
  extraResources: [
    { from: 'data', to: 'data', filter: ['*.csv', '*.toml'] },
    { from: 'profiles', to: 'profiles', filter: ['*.toml'] },
    { from: 'resources/models', to: 'models', filter: ['README.md'] },
  ],

  asar: true,
  // Every native module loaded at run time lives outside the archive (app.asar.unpacked):
  // - better-sqlite3 loads prebuilds/<platform>-<arch>.node (or build/Release when compiled);
  // - DuckDB's duckdb.node loads libduckdb.so/.dylib/.dll from its own folder, so the whole
  //   @duckdb/node-bindings-<platform>-<arch> package is unpacked;
  // - node-llama-cpp resolves its addon and the ggml/llama shared libraries beside it on disk.
  // The catch-all patterns unpack any other native file a dependency brings along.
  asarUnpack: [
    'node_modules/better-sqlite3/{prebuilds,build}/**',
    'node_modules/@duckdb/node-bindings*/**',
    'node_modules/node-llama-cpp/bins/**',
    'node_modules/node-llama-cpp/llama/localBuilds/**',
    'node_modules/@node-llama-cpp/**',
    ...NATIVE_FILES,
  ],

  // The native modules are prebuilt for Node-API, which Electron loads as is: no rebuild (and so
  // no compiler or Electron headers download) during packaging.
  npmRebuild: false,

  // Electron fuses, flipped in the packaged binary: the app cannot be turned into a plain Node
  // (ELECTRON_RUN_AS_NODE, NODE_OPTIONS, --inspect), cookies are encrypted, the app code is only
  // loaded from an app.asar whose integrity is checked, and file:// gets no extra privileges (the
  // window is served from app://workbench). The engine and model processes are utility
  // processes, which need none of the disabled fuses.
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  },

  fileAssociations: [
    {
      ext: 'flworkspace',
      name: 'FactorLens Workspace',
      description: 'FactorLens Workbench workspace',
      mimeType: 'application/x-factorlens-workspace',
      role: 'Editor',
      rank: 'Owner',
    },
    {
      // Offered under "Open with", never taking over .csv from the spreadsheet program.
      ext: 'csv',
      name: 'CSV table',
      description: 'Comma-separated values',
      mimeType: 'text/csv',
      role: 'Viewer',
      rank: 'Alternate',
    },
  ],

  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icon.png',
    category: 'Office',
    synopsis: 'Explain why a business metric changed',
    description: 'FactorLens Workbench explains why a business metric changed: drivers, segments, factor models and reports.',
    maintainer: 'FactorLens Workbench maintainers <workbench@factorlens.io>',
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.png',
    category: 'public.app-category.business',
    // The hardened runtime is required for notarization; the entitlements let it load the
    // unsigned native modules and llama.cpp's JIT-style code (see the plist's comments).
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // Notarized when APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID are set (CI secrets);
    // signed when CSC_LINK is set. Without them the dmg is unsigned.
  },

  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
  },
  nsis: {
    // An assisted installer: the user sees the steps, installs for themselves (no admin prompt)
    // and may pick the folder.
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    shortcutName: 'FactorLens Workbench',
  },

  // `npm run dist -- --publish always` (the release workflow) uploads to a draft GitHub release
  // of the tag's version; owner and repository come from the git remote, the token from GH_TOKEN.
  publish: { provider: 'github', releaseType: 'draft' },
};
