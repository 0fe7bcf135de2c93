import { defineStore } from 'pinia';
import { ref } from 'vue';

/**
 * The step of each investigation run whose scope was opened last, kept while the workbench is
 * open so that coming back from its rows finds it marked in the graph and the steps.
 */
export const useInvestigationPick = defineStore('investigation-pick', () => {
  const picked = ref<Record<string, string>>({});
  const of = (runId: string): string | null => picked.value[runId] ?? null;
  function pick(runId: string, stepId: string): void {
    picked.value = { ...picked.value, [runId]: stepId };
  }
  return { picked, of, pick };
});
