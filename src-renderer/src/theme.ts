import { ref, watch } from 'vue';

const KEY = 'factorlens.theme';
const initial =
  (localStorage.getItem(KEY) as 'light' | 'dark' | null) ??
  (window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/** Light or dark, remembered across launches; the first launch follows the system setting. */
export const themeName = ref<'light' | 'dark'>(initial);
watch(
  themeName,
  (t) => {
    localStorage.setItem(KEY, t);
    document.documentElement.dataset.theme = t;
  },
  { immediate: true },
);

export function toggleTheme(): void {
  themeName.value = themeName.value === 'dark' ? 'light' : 'dark';
}
