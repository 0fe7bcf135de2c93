import { ref } from 'vue';

/** The one tooltip shown, by name; null when none is. */
const shown = ref<string | null>(null);
let listening = false;

/**
 * Any click or key, or the window losing focus (a native file dialog, another app), closes the
 * tooltip shown. Without this a tooltip outlives what its button opened: the mouse never "leaves"
 * a button that a dialog or a pane covered, so the tooltip stayed on top after it closed.
 */
function listen(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  const close = (): void => void (shown.value = null);
  window.addEventListener('pointerdown', close, true);
  window.addEventListener('keydown', close, true);
  window.addEventListener('blur', close);
}

/** Props for an `n-tooltip` (`v-bind="tip('name')"`): shown on hover as usual, closed by the rule above. */
export function tip(name: string): { show: boolean; 'onUpdate:show': (show: boolean) => void } {
  listen();
  return {
    show: shown.value === name,
    'onUpdate:show': (show: boolean) => {
      if (show) shown.value = name;
      else if (shown.value === name) shown.value = null;
    },
  };
}
