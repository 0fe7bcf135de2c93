import type { ExplainSettings, ModelInfo } from '../../../src-shared/contract';

/** The model the investigation's model planner asks: the Explain settings' backend and model. */
export interface PlannerModel {
  backend: 'local' | 'bedrock';
  /** A GGUF path (local) or a Bedrock model id. */
  model: string;
}

/**
 * The planner model the Explain settings name, or null when none is set up (no settings yet, a
 * Bedrock backend without a model id, or a local backend without a usable GGUF file).
 */
export function plannerChoice(
  settings: ExplainSettings | null,
  activeModel: string | null,
  usable: readonly Pick<ModelInfo, 'path'>[],
): PlannerModel | null {
  if (!settings || activeModel === null) return null;
  if (settings.backend === 'bedrock') return settings.bedrock.modelId ? { backend: 'bedrock', model: settings.bedrock.modelId } : null;
  const path = settings.localModel ?? usable[0]?.path ?? null;
  return path !== null && usable.some((m) => m.path === path) ? { backend: 'local', model: path } : null;
}
