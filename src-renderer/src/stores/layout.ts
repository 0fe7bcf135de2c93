import { defineStore } from 'pinia';
import { ref, watch } from 'vue';

const SIDEBAR_KEY = 'factorlens.sidebar';

/** The window's layout the analyst chose: the sidebar shown or collapsed, remembered across sessions. */
export const useLayout = defineStore('layout', () => {
  const sidebarCollapsed = ref(readCollapsed());

  function toggleSidebar(): void {
    sidebarCollapsed.value = !sidebarCollapsed.value;
  }

  watch(sidebarCollapsed, (collapsed) => {
    try {
      localStorage.setItem(SIDEBAR_KEY, collapsed ? 'collapsed' : 'open');
    } catch {
      // Storage may be off (private window): the choice then lasts for this session only.
    }
  });

  return { sidebarCollapsed, toggleSidebar };
});

function readCollapsed(): boolean {
  try {
    return localStorage.getItem(SIDEBAR_KEY) === 'collapsed';
  } catch {
    return false;
  }
}
