import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { NamedProfile, ProfileValues } from '../../../src-shared/contract';
import { api } from '../api/client';
import { act } from './act';
import { useNotifications } from './notifications';

/** Analyze profiles: the built-in ones and those saved with the workspace (and their TOML). */
export const useProfiles = defineStore('profiles', () => {
  const builtins = ref<NamedProfile[]>([]);
  const saved = ref<NamedProfile[]>([]);
  const notes = useNotifications();

  /** A profile by its name, saved ones first. */
  function find(name: string): NamedProfile | undefined {
    return [...saved.value, ...builtins.value].find((p) => p.name === name);
  }

  async function load(): Promise<void> {
    const list = await act(() => api.call('profiles.list', {}));
    if (list) {
      builtins.value = list.builtins;
      saved.value = list.saved;
    }
  }

  async function save(name: string, profile: ProfileValues, replaces?: string): Promise<boolean> {
    const done = await act(() => api.call('profiles.save', { name, profile, ...(replaces ? { replaces } : {}) }));
    if (!done) return false;
    await load();
    notes.notice(`Profile ${name} saved.`);
    return true;
  }

  async function remove(name: string): Promise<void> {
    if (await act(() => api.call('profiles.remove', { name }))) await load();
  }

  /** What is wrong with a profile, on its own or against a dataset's columns; undefined when it could not be checked. */
  async function validate(profile: ProfileValues, datasetId: string | null): Promise<string[] | undefined> {
    return (await act(() => api.call('profiles.validate', { profile, ...(datasetId ? { datasetId } : {}) })))?.problems;
  }

  async function exportToml(): Promise<void> {
    await act(async () => {
      const file = await api.call('profiles.exportToml', {});
      const where = await api.saveFile(file.filename, file.content, file.mime);
      if (where) notes.notice(`Exported ${where}`);
    });
  }

  async function importToml(file: File): Promise<void> {
    const result = await act(async () => api.call('profiles.importToml', { content: await file.text(), source: file.name }));
    if (!result) return;
    await load();
    notes.notice(result.imported.length ? `Imported ${result.imported.join(', ')}` : `${file.name} holds no profiles`);
  }

  return { builtins, saved, find, load, save, remove, validate, exportToml, importToml };
});
