import path from 'node:path';
import { JobRunner } from '../process/job-runner';
import { engineEntryBeside, nodeEngineLauncher, workerEntryBeside, type EngineLauncher } from '../process/engine-process';
import { nodeModelLauncher, type ModelLauncher } from '../explain/local/local-model';
import { packageRootFrom } from '../services/paths';
import { ProjectStore } from '../services/store/project-store';
import { Workbench } from '../services/workbench';
import type { SecretStore } from '../services/secrets';

export interface OpenWorkbenchOptions {
  workspaceFile: string;
  /** Folder for uploads and other per-user data. */
  dataDir: string;
  /** CSVs that seed a new workspace. */
  demoDataDir?: string;
  /** Example profiles (`*.toml`) that seed a new workspace. */
  demoProfilesDir?: string;
  /** URL of the host entry module; the engine entry is looked up beside it. */
  engineEntryUrl?: string;
  launcher?: EngineLauncher;
  /** Where saved connection passwords go (default: kept for the session only). */
  secrets?: SecretStore;
  /** How the local model process starts (default: a Node child beside the host entry). */
  modelLauncher?: ModelLauncher;
  /** The bundled models folder (default: resources/models of the package). */
  bundledModels?: string;
  /**
   * The web host: API calls may only name files in the workspace file's folder, its uploads
   * folder and these folders. Unset: any file (the desktop app, whose files come from dialogs).
   */
  limitFilesTo?: string[];
}

/** Opens a workspace and wires the workbench service to an engine launcher. */
export async function openWorkbench(o: OpenWorkbenchOptions): Promise<Workbench> {
  const store = ProjectStore.open(o.workspaceFile);
  const launcher = o.launcher ?? nodeEngineLauncher(engineEntryBeside(o.engineEntryUrl ?? import.meta.url));
  const entryUrl = o.engineEntryUrl ?? import.meta.url;
  const models = {
    launch: o.modelLauncher ?? nodeModelLauncher(workerEntryBeside(entryUrl, 'model')),
    folders: {
      bundled: o.bundledModels ?? path.join(packageRootFrom(entryUrl), 'resources', 'models'),
      user: path.join(o.dataDir, 'models'),
    },
  };
  const workbench = new Workbench(store, new JobRunner(launcher, { warm: true }), path.join(o.dataDir, 'uploads'), o.secrets, models, {
    limitFilesTo: o.limitFilesTo,
  });
  if (o.demoDataDir) await workbench.seedDemo(o.demoDataDir, o.demoProfilesDir);
  return workbench;
}
