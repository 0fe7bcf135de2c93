import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../pg/server';
import { launchChromium, root, serve, type Served } from './browser';
import { Workbench } from './pages';

/** Where the screenshots of every e2e file go. */
export const shots = path.join(root, 'test-results', 'e2e');

export interface E2EOptions {
  /** Names the temp folder (fl-e2e-<name>-) and the workspace in it (<name>.flworkspace). */
  name: string;
  /** Files of data/ the host lists as demo datasets; none gives an empty demo folder. */
  demo?: string[];
  /** Files of profiles/ whose profiles seed the workspace; none by default. */
  profiles?: string[];
  /** Folders the host may read by path (uploads need none); given the temp folder and Postgres, if any. */
  allowDirs?: (e2e: E2E) => string[];
  /** Starts a throwaway Postgres (tests/pg/server.ts) and fills it, before the host starts. */
  postgres?: (db: TestServer) => Promise<void>;
  /** Environment the host starts with; process.env is restored afterwards. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
  /** Playwright's default wait, ms. */
  timeout?: number;
  /** Screenshots of the whole page rather than the viewport. */
  fullPageShots?: boolean;
  /** The theme the system prefers, and so the page starts in (until the user picks one). */
  theme?: 'light' | 'dark';
  /** Opens the workbench's URL once started (the default). */
  open?: boolean;
  /** Time allowed for the set-up, ms. */
  setupTimeout?: number;
}

/** A started workbench: the page objects (see pages/), the host, its temp folder, Postgres if asked for. */
export class E2E extends Workbench {
  dir = '';
  server!: Served;
  db?: TestServer;
  browser?: Browser;

  constructor(private readonly fullPageShots: boolean) {
    super();
  }

  /** Saves a screenshot as test-results/e2e/<name>.png. */
  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: this.fullPageShots });
  }

  /** Opens the workbench's URL (the token in it logs the page in). */
  async open(): Promise<void> {
    await this.page.goto(this.server.url);
  }
}

/**
 * The one set-up of every e2e file: a temp folder with the workspace and the demo files, Postgres
 * if asked for, `factorlens serve` (the built CLI), and a page in headless Chromium; all of it is
 * stopped after the file's tests. Call it at the top of the file; use the handle inside tests.
 */
export function useWorkbench(options: E2EOptions): E2E {
  const e2e = new E2E(options.fullPageShots ?? false);
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    e2e.dir = mkdtempSync(path.join(os.tmpdir(), `fl-e2e-${options.name}-`));
    const demo = path.join(e2e.dir, 'demo');
    mkdirSync(demo);
    for (const f of options.demo ?? []) writeFileSync(path.join(demo, f), readFileSync(path.join(root, 'data', f)));
    // Example profiles seed a new workspace too: a test names the files of profiles/ it wants (none by default).
    const profiles = path.join(e2e.dir, 'profiles');
    mkdirSync(profiles);
    for (const f of options.profiles ?? []) writeFileSync(path.join(profiles, f), readFileSync(path.join(root, 'profiles', f)));
    if (options.postgres) {
      e2e.db = await startTestServer();
      await options.postgres(e2e.db);
    }
    // The host's engines and SDKs inherit the environment it starts with.
    if (options.env) Object.assign(process.env, options.env);
    const allow = (options.allowDirs?.(e2e) ?? []).flatMap((d) => ['--allow-dir', d]);
    e2e.server = await serve([
      '--workspace',
      path.join(e2e.dir, `${options.name}.flworkspace`),
      '--demo-data',
      demo,
      '--demo-profiles',
      profiles,
      ...allow,
    ]);
    e2e.browser = await launchChromium();
    // The app starts in the system's theme until the user picks one: colorScheme is that system.
    const context = await e2e.browser.newContext({
      viewport: options.viewport ?? { width: 1360, height: 900 },
      acceptDownloads: true,
      colorScheme: options.theme,
    });
    e2e.page = await context.newPage();
    e2e.page.setDefaultTimeout(options.timeout ?? 15_000);
    if (options.open ?? true) {
      await e2e.open();
      await e2e.shell.tagline.waitFor();
    }
  }, options.setupTimeout ?? 120_000);

  afterAll(async () => {
    await e2e.browser?.close();
    await e2e.server?.stop();
    e2e.db?.stop();
    process.env = savedEnv;
  });

  return e2e;
}
