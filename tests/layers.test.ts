import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const eslint = new ESLint({ cwd: root });

/** The messages of the layer rule for a file at `file` holding one import of `spec`. */
async function layerErrors(file: string, spec: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import { x } from '${spec}';\nexport const y = x;\n`, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layers are enforced by lint', () => {
  it('refuses an import from a layer above (engine -> services, sources -> engine, services -> hosts)', async () => {
    expect((await layerErrors('src-main/engine/analyze/new.ts', '../../services/workbench')).join()).toMatch(/engine\/ sits below/);
    expect((await layerErrors('src-main/sources/new.ts', '../engine/jobs')).join()).toMatch(/sources\/ sits below/);
    expect((await layerErrors('src-main/services/new.ts', '../hosts/web/server')).join()).toMatch(/services\/ sits below/);
    expect((await layerErrors('src-main/artifacts/new.ts', '../process/job-runner')).join()).toMatch(/artifacts\/ sits below/);
  });

  it('takes an import from a layer below, and the shared contract everywhere', async () => {
    expect(await layerErrors('src-main/services/new.ts', '../engine/jobs')).toEqual([]);
    expect(await layerErrors('src-main/engine/analyze/new.ts', '../../sources/scan')).toEqual([]);
    expect(await layerErrors('src-main/engine/analyze/new.ts', '../../../src-shared/artifacts/analyze')).toEqual([]);
    expect(await layerErrors('src-main/hosts/cli/new.ts', '../../services/workbench')).toEqual([]);
  });

  it('keeps the window and the shared contract apart from the main side', async () => {
    expect((await layerErrors('src-renderer/src/new.ts', '../../src-main/services/workbench')).join()).toMatch(/API contract/);
    expect((await layerErrors('src-shared/new.ts', '../src-main/engine/jobs')).join()).toMatch(/imports nothing of theirs/);
  });
});
