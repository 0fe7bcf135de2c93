/// <reference types="vite/client" />
import type { DesktopBridge } from '../../src-shared/contract';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Present only in the desktop app (exposed by the preload). */
    factorlens?: DesktopBridge;
  }
}
