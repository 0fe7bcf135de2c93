import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';

/** What the workbench tells the analyst: errors and short notices, queued here and shown by the Shell. */
export const useNotifications = defineStore('notifications', () => {
  const errors = ref<ErrorInfo[]>([]);
  const notices = ref<string[]>([]);

  function report(err: unknown): void {
    errors.value.push(toErrorInfo(err));
  }

  function notice(text: string): void {
    notices.value.push(text);
  }

  return { errors, notices, report, notice };
});
