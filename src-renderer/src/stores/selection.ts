import { defineStore } from 'pinia';
import { ref } from 'vue';

export type DatasetTab = 'preview' | 'analyze' | 'suggest' | 'drivers' | 'investigation' | 'factors';
export type Selection =
  | { kind: 'none' }
  | { kind: 'dataset'; id: string; tab: DatasetTab }
  | { kind: 'run'; id: string }
  | { kind: 'profiles' }
  | { kind: 'databases'; connectionId?: string }
  | { kind: 'compare'; baseId?: string; newId?: string };

/** What the main area shows: a dataset (and its tab), a run, or one of the tools. */
export const useSelection = defineStore('selection', () => {
  const current = ref<Selection>({ kind: 'none' });

  function setTab(tab: DatasetTab): void {
    if (current.value.kind === 'dataset') current.value = { ...current.value, tab };
  }

  return { current, setTab };
});
