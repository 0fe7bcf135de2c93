import { ref, watch, type Ref } from 'vue';
import type { DateRange } from '../../../src-shared/contract';
import { api } from '../api/client';

/**
 * The first and last day of a dataset's date column, asked of the scan engine whenever the
 * dataset or the column changes (the period windows of every form anchor on the last day).
 * An answer for a column no longer chosen is dropped.
 */
export function useDateRange(datasetId: () => string, dateColumn: () => string | null) {
  const range = ref<DateRange | null>(null) as Ref<DateRange | null>;
  const error = ref<string | null>(null);
  let asked = 0;
  watch(
    [datasetId, dateColumn],
    async ([id, column]) => {
      const mine = ++asked;
      range.value = null;
      if (!column) return;
      try {
        const found = await api.call('datasets.dateRange', { id, column });
        if (mine === asked) range.value = found;
      } catch (err) {
        if (mine === asked) error.value = (err as Error).message;
      }
    },
    { immediate: true },
  );
  return { range, error };
}
