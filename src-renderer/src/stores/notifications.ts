import { defineStore } from 'pinia';
import { ref } from 'vue';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';

/** A notice with an Undo button, shown for `ms` milliseconds (what Undo does is the caller's). */
export interface UndoOffer {
  text: string;
  ms: number;
  undo: () => void;
}

/** What the workbench tells the analyst: errors, short notices and undo offers, queued here and shown by the Shell. */
export const useNotifications = defineStore('notifications', () => {
  const errors = ref<ErrorInfo[]>([]);
  const notices = ref<string[]>([]);
  const undoOffers = ref<UndoOffer[]>([]);

  function report(err: unknown): void {
    errors.value.push(toErrorInfo(err));
  }

  function notice(text: string): void {
    notices.value.push(text);
  }

  function offerUndo(offer: UndoOffer): void {
    undoOffers.value.push(offer);
  }

  return { errors, notices, undoOffers, report, notice, offerUndo };
});
