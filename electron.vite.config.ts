import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// Pure-JS dependencies are bundled into the main-side chunks: Node loads one file much faster than
// a package of many small modules (zod: 110 ms, @duckdb/node-api's 124 files: 170 ms). Native
// modules (better-sqlite3, DuckDB's bindings, node-llama-cpp) and pg stay external.
const BUNDLED = ['zod', 'commander', 'csv-parse', 'smol-toml', 'ml-matrix', '@duckdb/node-api'];

// Our folders are not electron-vite's defaults, so every entry is explicit.
// main: the Electron main process, the engine and local-model process entries and the CLI (which also hosts `serve`).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: BUNDLED },
      rollupOptions: {
        external: [/^@duckdb\/node-bindings/],
        input: {
          index: resolve(__dirname, 'src-main/app/main.ts'),
          engine: resolve(__dirname, 'src-main/process/engine-worker.ts'),
          model: resolve(__dirname, 'src-main/explain/local/model-worker.ts'),
          cli: resolve(__dirname, 'src-main/hosts/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
