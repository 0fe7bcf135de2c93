import type { Planner } from '../engine/investigation/planner';
import type { ChatBackend } from '../explain/chat';
import { createModelPlanner, type ModelPlanner } from '../explain/investigation-planner';

/**
 * The investigation's model planner in the workbench: it asks the model the Explain settings name,
 * opened (or loaded) only when the first step needs it and shared with the Explain pane, so the
 * model is never loaded twice and the planner never closes it.
 */
export function sharedModelPlanner(backend: 'local' | 'bedrock', open: () => Promise<ChatBackend>): Planner {
  let planner: Promise<ModelPlanner> | null = null;
  const get = () => (planner ??= open().then((chat) => createModelPlanner({ backend, chat })));
  return {
    kind: 'llm',
    next: async (state, rule) => (await get()).next(state, rule),
    summarize: async (artifact) => (await get()).summarize(artifact),
  };
}
